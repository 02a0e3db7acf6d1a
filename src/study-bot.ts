import { Catalog } from "./core/catalog.ts";
import type { Clock } from "./core/clock.ts";
import { declarationsOn, parseCommandText, UsageError } from "./core/commands.ts";
import { PostCooldowns } from "./core/cooldown.ts";
import { Delivery } from "./core/delivery.ts";
import { type Language, type Strings, strings } from "./core/i18n.ts";
import { type Block, privateReply, type Reply } from "./core/message.ts";
import {
  type ButtonClick,
  type ChannelAddress,
  type ChatAdapter,
  type CommandInvocation,
  DatabaseBusyError,
  type EventSink,
  type HomeViewer,
  type Logger,
  type Platform,
} from "./core/ports.ts";
import { type IdentityStore, Scopes, type Settings, workspaceKey } from "./core/scope.ts";
import { Admin } from "./features/admin/admin.ts";
import { DashboardData } from "./features/dashboard/dashboard.ts";
import type { DashboardLinks } from "./features/dashboard/links.ts";
import { dashboardRoutes } from "./features/dashboard/routes.ts";
import { actionDeclarations, commandDeclarations } from "./features/declarations.ts";
import { Digests } from "./features/digests/digests.ts";
import { Exports } from "./features/exports/exports.ts";
import { ForgetMe } from "./features/forget/forget.ts";
import { memberWasForgotten } from "./features/forget/forget-member.ts";
import { Home } from "./features/home/home.ts";
import type { Kernel } from "./features/kernel.ts";
import { Packs } from "./features/packs/packs.ts";
import { Privacy } from "./features/privacy/privacy.ts";
import { Recaps } from "./features/recaps/recaps.ts";
import { Reports } from "./features/reports/reports.ts";
import { Retention } from "./features/retention/retention.ts";
import { Review } from "./features/review/review.ts";
import { Rounds } from "./features/rounds/rounds.ts";
import { Seasons } from "./features/seasons/seasons.ts";
import type { Services } from "./features/services.ts";
import { setMemberGroups } from "./features/squads/squads.repository.ts";
import { Squads } from "./features/squads/squads.ts";
import { Standings } from "./features/standings/standings.ts";
import { Submissions } from "./features/submissions/submissions.ts";
import { Topics } from "./features/topics/topics.ts";
import { contentStore } from "./store/content.repository.ts";
import type { Db } from "./store/database.ts";
import { TransactionBatcher } from "./store/transaction-batcher.ts";
import * as workspaces from "./store/workspaces.repository.ts";

const defaultStaleClaimMs = 2 * 60_000;
/** A leaderboard is posted to a channel at most once a minute: one asked for again sooner is pointed to, privately. */
export const boardCooldownMs = 60_000;

export interface StudyBotOptions {
  db: Db;
  clock: Clock;
  defaults: { timezone: string; language: Language };
  log: Logger;
  random?: () => number;
  /** How long a digest or results claim may stay unconfirmed before another pass reconciles it (default 2 minutes). */
  staleClaimMs?: number;
  /** Posts in flight at once per platform during a digest fan-out. */
  fanOut?: Partial<Record<Platform, number>>;
  /** The web dashboard's links; without it /study dashboard says the dashboard is off. */
  dashboard?: DashboardLinks;
  /** A member's home is published at most once in this long (default 5 s): answers in a row make one refresh. */
  homeRefreshMs?: number;
}

/** The composition of the kernel and the features: what adapters, the scheduler and the CLI talk to. */
export class StudyBot implements EventSink {
  private readonly services: Services;
  private readonly actions = new Map(actionDeclarations.map((a) => [a.action, a]));

  constructor(options: StudyBotOptions) {
    const { db, clock, log } = options;
    const identity: IdentityStore = {
      ensureWorkspace: async (workspace, now) => {
        await workspaces.ensureWorkspace(db, workspace, now);
      },
      ensureChannel: (channel) => workspaces.ensureChannel(db, channel),
      workspaceSettings: (workspaceId) => workspaces.getWorkspace(db, workspaceId),
      ensureMember: (member, now) => workspaces.ensureMember(db, member, now),
      setMemberGroups: (workspaceId, memberId, groups) => setMemberGroups(db, workspaceId, memberId, groups),
    };
    const kernel: Kernel = {
      db,
      clock,
      log,
      random: options.random ?? Math.random,
      writes: new TransactionBatcher(db),
      delivery: new Delivery(log, options.fanOut),
      catalog: new Catalog(contentStore(db), clock),
      scopes: new Scopes(identity, clock, options.defaults),
      cooldowns: new PostCooldowns(clock, boardCooldownMs),
      staleClaimMs: options.staleClaimMs ?? defaultStaleClaimMs,
      dashboard: options.dashboard,
    };
    const review = new Review(kernel);
    const recaps = new Recaps(kernel);
    const rounds = new Rounds(kernel, review);
    const digests = new Digests(kernel, rounds, recaps, new Seasons(kernel));
    const submissions = new Submissions(kernel);
    const admin = new Admin(kernel, digests, submissions);
    const standings = new Standings(kernel, recaps);
    const reports = new Reports(kernel, rounds);
    const home = new Home(kernel, standings, rounds, options.homeRefreshMs);
    const privacy = new Privacy(kernel);
    this.services = {
      ...kernel,
      admin,
      dashboardData: new DashboardData(kernel, standings, admin, reports, privacy),
      digests,
      exports: new Exports(kernel),
      home,
      forget: new ForgetMe(kernel, [rounds, review, standings]),
      packs: new Packs(kernel),
      privacy,
      recaps,
      reports,
      retention: new Retention(kernel),
      review,
      rounds,
      squads: new Squads(kernel),
      standings,
      submissions,
      topics: new Topics(kernel),
      commands: commandDeclarations,
    };
  }

  /** The dashboard's pages for the bot's HTTP server; undefined when the dashboard is off. */
  dashboardRoutes() {
    const { dashboard, dashboardData, clock, log } = this.services;
    return dashboard && dashboardRoutes(dashboardData, dashboard, clock, log);
  }

  addAdapter(adapter: ChatAdapter): void {
    this.services.delivery.add(adapter);
  }

  /** Called with every new round, so the scheduler can close it on time. */
  onRoundOpened(listener: (roundId: string, closesAt: Date) => void): void {
    this.services.rounds.onRoundOpened(listener);
  }

  /** Waits for work started after a reply (answer-count edits excepted): tests and shutdown use it. */
  settle(): Promise<void> {
    return this.services.delivery.settle();
  }

  /** Stops pending answer-count edits. */
  stop(): void {
    this.services.rounds.stop();
    this.services.home.stop();
  }

  async command(invocation: CommandInvocation): Promise<Reply[]> {
    const { scopes } = this.services;
    let t = strings(scopes.defaultLanguage);
    try {
      t = strings((await scopes.settingsOf(workspaceKey(invocation.address))).language);
      const parsed = parseCommandText(declarationsOn(this.services.commands, invocation.address.platform), invocation.text, t);
      const scope = await scopes.enter(invocation.address, invocation.actor.userId, invocation.actor.displayName, invocation.workspaceName);
      await scopes.rememberGroups(scope, invocation.actor.groups);
      if (parsed.adminOnly && !(await invocation.actor.isAdmin()))
        throw new UsageError(t.adminOnly(invocation.address.platform), undefined);
      return await parsed.declaration.run(this.services, scope, parsed.args, { file: invocation.file, isAdmin: invocation.actor.isAdmin });
    } catch (error) {
      if (error instanceof UsageError) return [usageReply(t, error)];
      if (error instanceof DatabaseBusyError) return [this.busy(t, error, invocation.address)];
      this.services.log.error({ err: error, text: invocation.text, address: invocation.address }, "command failed");
      return [privateReply([{ type: "text", text: t.somethingWrong }])];
    }
  }

  async click(click: ButtonClick): Promise<Reply[]> {
    const { scopes } = this.services;
    let t = strings(scopes.defaultLanguage);
    try {
      const scope = await scopes.enter(click.address, click.actor.userId, click.actor.displayName, undefined);
      await scopes.rememberGroups(scope, click.actor.groups);
      t = scope.t;
      const action = this.actions.get(click.action);
      if (!action) return [privateReply([{ type: "text", text: t.roundGone }])];
      if (action.access === "admin" && !(await click.actor.isAdmin())) {
        return [privateReply([{ type: "text", text: t.adminOnly(click.address.platform) }])];
      }
      const run = () =>
        action.run(this.services, scope, { value: click.value, inputs: click.inputs ?? {}, file: click.file, fromHome: click.fromHome });
      const reply = await run().catch(async (error: unknown) => {
        // Another process forgot the member while this one still remembered them as stored: they are stored anew.
        if (!(await memberWasForgotten(this.services.db, error, scope.memberId))) throw error;
        this.services.forget.forgotten(scope.workspaceId, scope.memberId);
        return run();
      });
      if (action.refreshesHome) this.services.home.changed(scope);
      return [reply];
    } catch (error) {
      if (error instanceof DatabaseBusyError) return [this.busy(t, error, click.address)];
      this.services.log.error({ err: error, action: click.action, value: click.value }, "click failed");
      return [privateReply([{ type: "text", text: t.somethingWrong }])];
    }
  }

  /** Nothing was changed: the member is told to try again, and the operator sees who held the database up. */
  private busy(t: Strings, error: DatabaseBusyError, address: ChannelAddress): Reply {
    this.services.log.warn({ err: error, address }, "database busy: request refused");
    return privateReply([{ type: "text", text: t.databaseBusy }]);
  }

  async suggestTopics(
    query: string,
    language: Language,
    workspace: { platform: Platform; workspaceId: string },
  ): Promise<Array<{ id: string; name: string }>> {
    const workspaceId = workspaceKey(workspace);
    const { questionSource } = await this.services.scopes.settingsOf(workspaceId);
    return this.services.topics.suggest(query, language, workspaceId, questionSource);
  }

  async homeOpened(viewer: HomeViewer): Promise<void> {
    this.services.home.opened(viewer);
  }

  async workspaceRemoved(workspace: { platform: Platform; workspaceId: string }, reason: string): Promise<void> {
    await workspaces.markSubscriptionsFailing(
      this.services.db,
      { workspaceId: workspaceKey(workspace) },
      reason,
      this.services.clock.now(),
    );
  }

  /** Posts every digest whose local time has come (see Digests.runDue). */
  runDueDigests(): Promise<number> {
    return this.services.digests.runDue();
  }

  /** Deletes a batch of answers past each workspace's retention (see Retention.deleteExpired); returns how many rows. */
  deleteExpiredAnswers(): Promise<number> {
    return this.services.retention.deleteExpired();
  }

  /** Closes every open round whose time is up, each on its own (see Rounds.closeDueRounds). */
  closeDueRounds(): Promise<void> {
    return this.services.rounds.closeDueRounds();
  }

  closeRound(roundId: string): Promise<void> {
    return this.services.rounds.close(roundId);
  }

  /** A workspace's effective settings: its own values over the deployment's defaults. */
  settingsOf(workspaceId: string): Promise<Settings> {
    return this.services.scopes.settingsOf(workspaceId);
  }
}

function usageReply(t: Strings, error: UsageError): Reply {
  const blocks: Block[] = [{ type: "text", text: `⚠️ ${error.message}` }];
  if (error.usage) blocks.push({ type: "context", text: `${t.usage}: ${error.usage}` });
  return privateReply(blocks);
}
