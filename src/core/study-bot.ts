import { randomUUID } from "node:crypto";
import { heatmapPng, recapPng } from "../charts/charts.ts";
import { Gate } from "../gate.ts";
import * as cards from "../store/cards.repository.ts";
import { reclaim } from "../store/claims.repository.ts";
import * as content from "../store/content.repository.ts";
import type { Db } from "../store/database.ts";
import * as digests from "../store/digests.repository.ts";
import * as progress from "../store/progress.repository.ts";
import * as recaps from "../store/recaps.repository.ts";
import * as reports from "../store/reports.repository.ts";
import * as rounds from "../store/rounds.repository.ts";
import * as squads from "../store/squads.repository.ts";
import { TransactionBatcher } from "../store/transaction-batcher.ts";
import type { WorkspaceRow } from "../store/workspaces.repository.ts";
import * as workspaces from "../store/workspaces.repository.ts";
import type { Clock } from "./clock.ts";
import { type Command, type ConfigChange, type LeaderboardWindow, parseCommand, UsageError } from "./command-parser.ts";
import { formatDuration } from "./durations.ts";
import { type Language, type Strings, strings, usages } from "./i18n.ts";
import * as time from "./local-time.ts";
import { type Block, type Button, message, type OutMessage, privateReply, publicReply, type Reply } from "./message.ts";
import { nextArticle, pickWeighted } from "./picker.ts";
import {
  type ButtonClick,
  type ChannelAddress,
  type ChatAdapter,
  type CommandInvocation,
  type EventSink,
  type Logger,
  type MessageRef,
  PermanentDeliveryError,
  type Platform,
} from "./ports.ts";
import { choiceLabel, type QuestionView, type RoundView, renderDigest, renderFeedback, renderResults, renderRound } from "./render.ts";
import { type Grade, gradeOf, review } from "./spaced-repetition.ts";
import { effectiveQuorum, personalStreak, teamStreak } from "./streaks.ts";
import { defaultStudyDays, formatStudyDays, parseStudyDays, type StudyDays } from "./study-days.ts";
import { depthOf, isWithin, matchTopic, type TopicNode } from "./topic-tree.ts";

export const points = { perDifficulty: 10, firstCorrectBonus: 5, read: 2 } as const;
export const defaultQuizSeconds = 10 * 60;
const recentQuestionDays = 30;
const defaultStaleClaimMs = 2 * 60_000;
const defaultFanOut: Record<Platform, number> = { slack: 20, discord: 10, console: 1 };
/** A failing digest is retried with growing pauses (1, 2, 4 ... minutes) and given up after this many tries. */
const maxDigestAttempts = 6;
const countEditIntervalMs = 2000;
const leaderboardRows = 25;
const contentCacheMs = 60_000;
const settingsCacheMs = 5_000;
const statsCacheMs = 5 * 60_000;
const maxRemembered = 100_000;

export interface Settings {
  timezone: string;
  language: Language;
  studyDays: StudyDays;
  quizSeconds: number;
  quorum: number | null;
}

interface Scope {
  workspaceId: string;
  channelId: string;
  memberId: string;
  userId: string;
  displayName: string;
  address: ChannelAddress;
  settings: Settings;
  t: Strings;
}

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
  /** Crash points for the crash tests (switched on by STUDY_FAULT in tests only). */
  faults?: { afterDigestPost?: () => void; beforeResultsEdit?: () => void };
}

const workspaceKey = (a: ChannelAddress) => `${a.platform}:${a.workspaceId}`;
const channelKey = (a: ChannelAddress) => `${workspaceKey(a)}:${a.channelId}`;
const memberKey = (a: ChannelAddress, userId: string) => `${workspaceKey(a)}:${userId}`;

/** The study domain: commands, clicks, digests and rounds, for any platform. */
export class StudyBot implements EventSink {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly adapters = new Map<Platform, ChatAdapter>();
  private readonly roundOpenedListeners: Array<(roundId: string, closesAt: Date) => void> = [];
  private readonly background = new Set<Promise<unknown>>();
  private readonly countEdits = new Map<string, { last: number; timer?: NodeJS.Timeout; running?: Promise<void> }>();
  /** Content read from the database, dropped every contentCacheMs so a `study-bot seed` run by another process shows. */
  private content: ContentCache = { loadedAt: 0, questions: new Map() };
  /** The picker's team statistics per workspace (see pickerStats). */
  private readonly statsCache = new Map<string, { stats: Parameters<typeof pickWeighted>[1]; loadedAt: number }>();
  /** Workspaces, channels and members (with their display names) known to be stored; rows are never deleted. */
  private readonly stored = new Map<string, string>();
  /** The groups each member was last stored with by this process, so unchanged roles cost no query. */
  private readonly knownGroups = new Map<string, string>();
  /** Member and group writes in flight: a member's clicks that arrive together share one write instead of racing. */
  private readonly memberWrites = new Map<string, Promise<void>>();
  /**
   * Open rounds by id. A round closes only when its time is up (checked on every click) or, with a failed post, before
   * anyone saw it; closeRound drops it here too.
   */
  private readonly openRounds = new Map<string, rounds.RoundRow>();
  /** Member and local day pairs whose activity this process has committed: a member's later answers that day skip the write. */
  private readonly activeDays = new Set<string>();
  /** Member and question pairs known to have a card, so a round's answer to a question seen before skips the first-sight insert (a hint: a card not found is created). */
  private readonly knownCards = new Set<string>();
  /** Workspace settings for settingsCacheMs; another replica's config change shows within that time. */
  private readonly settingsCache = new Map<string, { settings: Settings; loadedAt: number }>();
  private readonly staleClaimMs: number;
  /** Posts in flight per platform, at most its fanOut: a digest pass runs more channels at once than it posts. */
  private readonly postGates = new Map<Platform, Gate>();
  /** Small writes arriving together (the answers of one moment, the channels of a fan-out) share a commit. */
  private readonly writes: TransactionBatcher;

  constructor(private readonly options: StudyBotOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.log = options.log;
    this.random = options.random ?? Math.random;
    this.staleClaimMs = options.staleClaimMs ?? defaultStaleClaimMs;
    this.writes = new TransactionBatcher(options.db);
  }

  addAdapter(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  /** Called with every new round, so the scheduler can close it on time. */
  onRoundOpened(listener: (roundId: string, closesAt: Date) => void): void {
    this.roundOpenedListeners.push(listener);
  }

  /** Waits for work started after a reply (answer-count edits excepted): tests and shutdown use it. */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Stops pending answer-count edits. */
  stop(): void {
    for (const edit of this.countEdits.values()) clearTimeout(edit.timer);
    this.countEdits.clear();
  }

  // ---- events from adapters ----

  async command(invocation: CommandInvocation): Promise<Reply[]> {
    let t = strings(this.options.defaults.language);
    try {
      t = strings((await this.settingsOf(workspaceKey(invocation.address))).language);
      const command = parseCommand(invocation.text, t);
      const scope = await this.enter(invocation.address, invocation.actor.userId, invocation.actor.displayName, invocation.workspaceName);
      await this.rememberGroups(scope, invocation.actor.groups);
      if (isAdminCommand(command) && !(await invocation.actor.isAdmin())) throw new UsageError(t.adminOnly, undefined);
      return await this.run(scope, command);
    } catch (error) {
      if (error instanceof UsageError) return [usageReply(t, error)];
      this.log.error({ err: error, text: invocation.text, address: invocation.address }, "command failed");
      return [privateReply([{ type: "text", text: t.somethingWrong }])];
    }
  }

  async click(click: ButtonClick): Promise<Reply[]> {
    let t = strings(this.options.defaults.language);
    try {
      const scope = await this.enter(click.address, click.actor.userId, click.actor.displayName, undefined);
      await this.rememberGroups(scope, click.actor.groups);
      t = scope.t;
      if (click.action === "answer") return [await this.answer(scope, click.value)];
      if (click.action === "read") return [await this.markRead(scope, click.value)];
      if (click.action === "review") return [await this.answerReview(scope, click.value)];
      if (click.action === "review-easy") return [await this.rateEasy(scope, click.value)];
      if (click.action === "review-next") return [await this.nextReviewCard(scope)];
      if (click.action === "report") return [await this.reportForm(scope, click.value)];
      if (click.action === "report-submit") return [await this.saveReport(scope, click.value, click.input)];
      return [privateReply([{ type: "text", text: t.roundGone }])];
    } catch (error) {
      this.log.error({ err: error, action: click.action, value: click.value }, "click failed");
      return [privateReply([{ type: "text", text: t.somethingWrong }])];
    }
  }

  async suggestTopics(query: string, language: Language): Promise<Array<{ id: string; name: string }>> {
    const wanted = query.trim().toLowerCase();
    const topics = await this.topicList();
    const score = (t: TopicNode) => {
      const texts = [t.id, t.en.toLowerCase(), t.zh.toLowerCase()];
      if (texts.some((x) => x.startsWith(wanted)) || t.id.split(".").some((segment) => segment.startsWith(wanted))) return 0;
      return texts.some((x) => x.includes(wanted)) ? 1 : 2;
    };
    return topics
      .map((topic) => ({ topic, rank: score(topic) }))
      .filter((x) => x.rank < 2)
      .sort((a, b) => a.rank - b.rank || depthOf(a.topic.id) - depthOf(b.topic.id))
      .slice(0, 25)
      .map(({ topic }) => ({ id: topic.id, name: `${this.topicName(topic, language)} (${topic.id})` }));
  }

  async workspaceRemoved(workspace: { platform: Platform; workspaceId: string }, reason: string): Promise<void> {
    await workspaces.markSubscriptionsFailing(
      this.db,
      { workspaceId: `${workspace.platform}:${workspace.workspaceId}` },
      reason,
      this.clock.now(),
    );
  }

  // ---- scheduled work ----

  /**
   * Posts every digest whose local time has come today on a study day (earlier days are never back-filled),
   * many channels at once but a bounded number per platform.
   */
  async runDueDigests(): Promise<number> {
    const now = this.clock.now();
    const byPlatform = new Map<Platform, workspaces.ActiveSubscription[]>();
    for (const sub of await workspaces.activeSubscriptions(this.db)) {
      const list = byPlatform.get(sub.platform as Platform) ?? [];
      list.push(sub);
      byPlatform.set(sub.platform as Platform, list);
    }
    let posted = 0;
    // A fixed number of workers per platform take the next subscription: memory stays flat however many channels are due.
    const worker = async (subs: workspaces.ActiveSubscription[]) => {
      for (let sub = subs.pop(); sub; sub = subs.pop()) {
        const settings = this.settingsFromRow(sub);
        const today = time.localDateOf(now, settings.timezone);
        const due =
          settings.studyDays.has(time.weekdayOf(today)) &&
          time.localMinuteOf(now, settings.timezone) >= (time.parseClockTime(sub.post_time) ?? 0);
        if (!due) continue;
        const address: ChannelAddress = {
          platform: sub.platform as Platform,
          workspaceId: sub.workspace_external_id,
          channelId: sub.channel_external_id,
        };
        await this.postRecapIfDue(address, settings, today);
        if (await this.postDigest(address, settings, today)) posted++;
      }
    };
    await Promise.all(
      [...byPlatform].flatMap(([platform, subs]) => {
        subs.reverse(); // pop() then takes them in the order the database gave
        // Twice as many channels as posts in flight: while some wait on the platform, others do their database work.
        return Array.from({ length: 2 * this.fanOut(platform) }, () => worker(subs));
      }),
    );
    return posted;
  }

  /** Closes every open round whose time is up, and finishes results edits a crash left undone. */
  async closeDueRounds(): Promise<void> {
    const now = this.clock.now().toISOString();
    for (const round of await rounds.openRounds(this.db)) {
      if (round.closes_at <= now) await this.closeRound(round.id);
    }
    for (const round of await rounds.roundsAwaitingResults(this.db)) await this.closeRound(round.id);
  }

  /** Closes a round once and edits the results into its message once (again only after a crash left it undone). */
  async closeRound(roundId: string): Promise<void> {
    const now = this.clock.now();
    this.openRounds.delete(roundId);
    await rounds.markRoundClosed(this.db, roundId, now);
    const edit = this.countEdits.get(roundId);
    clearTimeout(edit?.timer);
    this.countEdits.delete(roundId);
    // A count edit already sent must land before the results, or it would put the open round back on screen.
    await edit?.running?.catch(() => {});
    const round = await rounds.getRound(this.db, roundId);
    if (!round?.message_ref) return;
    if (!(await rounds.claimResultsEdit(this.db, roundId, now, new Date(now.getTime() - this.staleClaimMs)))) return;
    this.options.faults?.beforeResultsEdit?.();
    const settings = await this.settingsOf(round.workspace_id);
    const question = await this.questionView(round.question_id, settings.language);
    const answers = await progress.roundAnswers(this.db, roundId);
    const t = strings(settings.language);
    const results = renderResults(t, roundView(round, settings.timezone), question, answers);
    results.blocks.push({ type: "buttons", buttons: [{ action: "report", value: round.id, label: t.reportButton, key: "p" }] });
    await this.adapterFor(round.channel_id).update(this.addressOf(round.channel_id), round.message_ref, results);
    await rounds.confirmResultsEdit(this.db, roundId, this.clock.now());
  }

  // ---- commands ----

  private async run(scope: Scope, command: Command): Promise<Reply[]> {
    const { t } = scope;
    switch (command.name) {
      case "help":
        return [this.help(t)];
      case "digest":
        return [await this.showDigest(scope)];
      case "quiz":
        return [await this.quiz(scope, command.topic)];
      case "review":
        return [await this.nextReviewCard(scope)];
      case "streak":
        return [await this.streak(scope, command.member)];
      case "leaderboard":
        return [await this.leaderboard(scope, command.window)];
      case "topics":
        return [await this.topics(scope, command.topic)];
      case "subscribe":
        return [await this.subscribe(scope, command.minuteOfDay)];
      case "unsubscribe": {
        const removed = await workspaces.deleteSubscription(this.db, scope.channelId);
        return [removed ? publicReply([{ type: "text", text: t.unsubscribed }]) : privateReply([{ type: "text", text: t.notSubscribed }])];
      }
      case "config":
        return [command.change ? await this.setConfig(scope, command.change) : await this.showConfig(scope)];
      case "reports":
        return [await this.listReports(scope)];
      case "squad":
        await squads.upsertSquad(this.db, scope.workspaceId, command.squad, command.groupId);
        return [publicReply([{ type: "text", text: t.squadSet(command.squad, command.groupId) }])];
      case "squads":
        return [await this.squadBoard(scope)];
      case "resolve": {
        const n = await reports.resolveReports(this.db, scope.workspaceId, command.questionId, this.clock.now());
        this.statsCache.delete(scope.workspaceId);
        return [privateReply([{ type: "text", text: n > 0 ? t.resolved(command.questionId, n) : t.nothingToResolve(command.questionId) }])];
      }
    }
  }

  private help(t: Strings): Reply {
    const lines = (Object.keys(usages) as Array<keyof typeof usages>).map((k) => `${usages[k].padEnd(44)} ${t.helpLines[k]}`);
    return privateReply([
      { type: "header", text: t.helpTitle },
      { type: "text", text: t.helpIntro },
      { type: "code", text: lines.join("\n") },
    ]);
  }

  private async showDigest(scope: Scope): Promise<Reply> {
    const { settings } = scope;
    const today = time.localDateOf(this.clock.now(), settings.timezone);
    let digest: digests.DigestRow | undefined;
    if (settings.studyDays.has(time.weekdayOf(today))) {
      digest = (await this.digestFor(scope.workspaceId, scope.channelId, today)).digest;
    } else {
      digest =
        (await digests.latestDigest(this.db, scope.channelId, today)) ??
        (await this.digestFor(scope.workspaceId, scope.channelId, nextStudyDay(today, settings.studyDays))).digest;
    }
    return { visibility: "private", message: await this.digestMessage(digest, settings, today) };
  }

  private async quiz(scope: Scope, topicArgument: string | undefined): Promise<Reply> {
    const { t } = scope;
    let topicIds: string[] | undefined;
    if (topicArgument !== undefined) {
      const topics = await this.topicList();
      const match = matchTopic(topics, topicArgument);
      if (match.kind === "none") throw new UsageError(t.unknownTopic(topicArgument), usages.quiz);
      if (match.kind === "many") {
        const options = match.topics.slice(0, 6).map((topic) => `${topic.id} (${this.topicName(topic, scope.settings.language)})`);
        throw new UsageError(t.ambiguousTopic(topicArgument, options.join(", ")), usages.quiz);
      }
      topicIds = topics.filter((topic) => isWithin(topic.id, match.topic.id)).map((topic) => topic.id);
    }
    if (await rounds.openAdhocRound(this.db, scope.channelId)) return privateReply([{ type: "text", text: t.roundOpenAlready }]);
    const questionId = await this.pickQuestion(scope.workspaceId, scope.channelId, topicIds, undefined);
    if (!questionId) return privateReply([{ type: "text", text: t.noQuestions }]);
    const closesAt = new Date(this.clock.now().getTime() + scope.settings.quizSeconds * 1000);
    const opened = await this.openRound(scope, questionId, "adhoc", closesAt);
    return privateReply([{ type: "text", text: opened ? t.quizPosted : t.roundOpenAlready }]);
  }

  private async streak(scope: Scope, memberArgument: string | undefined): Promise<Reply> {
    const { t, settings } = scope;
    let memberId = scope.memberId;
    if (memberArgument !== undefined) {
      // Slack mentions arrive as <@U123|name>, Discord's as <@123> or <@!123>.
      const mention = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(memberArgument);
      const member = await workspaces.findMember(this.db, scope.workspaceId, mention?.[1] ?? memberArgument.replace(/^@/, ""));
      if (!member) throw new UsageError(t.unknownMember(memberArgument), usages.streak);
      memberId = member.id;
    }
    const [member] = await workspaces.membersByIds(this.db, scope.workspaceId, [memberId]);
    const today = time.localDateOf(this.clock.now(), settings.timezone);
    const dates = await progress.activeDates(this.db, scope.workspaceId, [memberId]);
    const personal = personalStreak(dates.get(memberId) ?? new Set(), settings.studyDays, today);
    const quorum = effectiveQuorum(settings.quorum, await workspaces.countMembers(this.db, scope.workspaceId));
    const team = teamStreak(await progress.activeMemberCounts(this.db, scope.workspaceId), quorum, settings.studyDays, today);
    const picture = { counts: new Map([...(dates.get(memberId) ?? [])].map((d) => [d, 1])), end: today, weeks: 12 };
    const reply = privateReply([
      { type: "header", text: t.streakTitle(member?.display_name ?? scope.displayName) },
      {
        type: "fields",
        fields: [
          { label: t.personal, value: t.days(personal.current) },
          { label: t.longest, value: t.days(personal.longest) },
          { label: t.freezes, value: `${personal.freezes} / 2` },
          { label: t.teamStreak, value: `${t.days(team)} ${t.quorumNote(quorum)}` },
        ],
      },
      { type: "context", text: t.streakPicture },
    ]);
    reply.message.image = { name: `streak-${today}.png`, png: heatmapPng(picture), alt: t.streakPicture };
    return reply;
  }

  private async leaderboard(scope: Scope, window: LeaderboardWindow): Promise<Reply> {
    const { t, settings } = scope;
    const today = time.localDateOf(this.clock.now(), settings.timezone);
    const period: progress.ScorePeriod =
      window === "all"
        ? { period: "all" }
        : { period: window, startsOn: window === "week" ? time.startOfWeek(today) : time.startOfMonth(today) };
    // The count reads every score of the period, so it runs beside the board and the shown rows' names and dates.
    const [count, { shown, members, dates }] = await Promise.all([
      progress.countScores(this.db, scope.workspaceId, period),
      progress.scoreBoard(this.db, scope.workspaceId, period, scope.memberId, leaderboardRows).then(async (board) => {
        const shown = board.top.map((row, i) => ({ row, rank: i + 1 }));
        if (board.self && board.self.rank > leaderboardRows) shown.push(board.self);
        const ids = shown.map(({ row }) => row.memberId);
        const [members, dates] = await Promise.all([
          workspaces.membersByIds(this.db, scope.workspaceId, ids),
          progress.activeDates(this.db, scope.workspaceId, ids),
        ]);
        return { shown, members, dates };
      }),
    ]);
    if (count === 0)
      return publicReply([
        { type: "header", text: t.leaderboardTitle[window] },
        { type: "text", text: t.emptyBoard },
      ]);
    const names = new Map(members.map((m) => [m.id, m.display_name]));
    const rows = shown.map(({ row, rank }) => [
      String(rank),
      names.get(row.memberId) ?? "?",
      String(row.points),
      row.answered > 0 ? `${Math.round((100 * row.correct) / row.answered)}%` : "-",
      String(personalStreak(dates.get(row.memberId) ?? new Set(), settings.studyDays, today).current),
    ]);
    const blocks: Block[] = [
      { type: "header", text: t.leaderboardTitle[window] },
      { type: "table", columns: [...t.columns], rows },
    ];
    const hidden = count - shown.length;
    if (hidden > 0) blocks.push({ type: "context", text: t.moreMembers(hidden) });
    return publicReply(blocks);
  }

  private async topics(scope: Scope, topicArgument: string | undefined): Promise<Reply> {
    const { t, settings } = scope;
    const topics = await this.topicList();
    let root: TopicNode | undefined;
    if (topicArgument !== undefined) {
      const match = matchTopic(topics, topicArgument);
      if (match.kind === "none") throw new UsageError(t.unknownTopic(topicArgument), usages.topics);
      if (match.kind === "many")
        throw new UsageError(t.ambiguousTopic(topicArgument, match.topics.map((x) => x.id).join(", ")), usages.topics);
      root = match.topic;
    }
    const counts = await content.questionCountsByTopic(this.db);
    const accuracy = await progress.topicAccuracy(this.db, scope.workspaceId);
    const within = (id: string) => topics.filter((x) => isWithin(x.id, id));
    const shown = root ? within(root.id).filter((x) => depthOf(x.id) <= depthOf(root.id) + 2) : topics.filter((x) => depthOf(x.id) <= 1);
    const lines = shown.map((topic) => {
      const subtree = within(topic.id);
      const questions = subtree.reduce((sum, x) => sum + (counts.get(x.id) ?? 0), 0);
      const stats = subtree.reduce(
        (acc, x) => {
          const s = accuracy.get(x.id);
          return s ? { answered: acc.answered + s.answered, correct: acc.correct + s.correct } : acc;
        },
        { answered: 0, correct: 0 },
      );
      const pct = stats.answered > 0 ? `${Math.round((100 * stats.correct) / stats.answered)}%` : "-";
      const indent = "  ".repeat(depthOf(topic.id) - (root ? depthOf(root.id) : 0));
      return `${indent}${topic.id}  ${this.topicName(topic, settings.language)}  (${questions}, ${pct})`;
    });
    return privateReply([
      { type: "header", text: t.topicsTitle },
      { type: "code", text: lines.join("\n") },
      { type: "context", text: t.topicsHint },
    ]);
  }

  private async subscribe(scope: Scope, minuteOfDay: number): Promise<Reply> {
    const { t, settings } = scope;
    const postTime = time.formatClockTime(minuteOfDay);
    await workspaces.upsertSubscription(
      this.db,
      { channelId: scope.channelId, workspaceId: scope.workspaceId, postTime },
      this.clock.now(),
    );
    // The catch-up rule: a time already past today posts today's digest now, after this reply.
    this.inBackground(() => this.runDueDigests());
    return publicReply([{ type: "text", text: t.subscribed(postTime, settings.timezone, formatStudyDays(settings.studyDays)) }]);
  }

  private async showConfig(scope: Scope): Promise<Reply> {
    const { t, settings } = scope;
    const sub = await workspaces.getSubscription(this.db, scope.channelId);
    const quorum = settings.quorum ?? effectiveQuorum(null, await workspaces.countMembers(this.db, scope.workspaceId));
    const subscription = !sub
      ? t.notSubscribedShort
      : sub.status === "failing"
        ? t.failing(sub.failure_reason ?? "")
        : t.subscribedAt(sub.post_time);
    return privateReply([
      { type: "header", text: t.configTitle },
      {
        type: "fields",
        fields: [
          { label: "timezone", value: settings.timezone },
          { label: "language", value: settings.language },
          { label: "study-days", value: formatStudyDays(settings.studyDays) },
          { label: "quiz-duration", value: formatDuration(settings.quizSeconds) },
          { label: "team-quorum", value: String(quorum) },
          { label: t.subscription, value: subscription },
        ],
      },
      { type: "context", text: `${t.usage}: ${usages.config}` },
    ]);
  }

  private async setConfig(scope: Scope, change: ConfigChange): Promise<Reply> {
    const patch =
      change.key === "timezone"
        ? { timezone: change.value }
        : change.key === "language"
          ? { language: change.value }
          : change.key === "study-days"
            ? { study_days: formatStudyDays(parseStudyDays(change.value) as StudyDays) }
            : change.key === "quiz-duration"
              ? { quiz_duration_s: change.value }
              : { team_quorum: change.value };
    await workspaces.updateWorkspace(this.db, scope.workspaceId, patch);
    this.settingsCache.delete(scope.workspaceId);
    const shown = change.key === "quiz-duration" ? formatDuration(change.value) : String(Object.values(patch)[0]);
    const t = change.key === "language" ? strings(change.value) : scope.t;
    return publicReply([{ type: "text", text: t.configSet(change.key, shown) }]);
  }

  // ---- clicks ----

  private async answer(scope: Scope, value: string): Promise<Reply> {
    const { t, settings } = scope;
    const [roundId = "", choiceText = ""] = value.split(":");
    const round = this.openRounds.get(roundId) ?? (await rounds.getRound(this.db, roundId));
    if (!round) return privateReply([{ type: "text", text: t.roundGone }]);
    if (round.status === "open") {
      if (this.openRounds.size >= maxRemembered) this.openRounds.clear();
      this.openRounds.set(roundId, round);
    }
    if (round.workspace_id !== scope.workspaceId || round.channel_id !== scope.channelId) {
      this.log.warn({ roundId, workspace: scope.workspaceId, channel: scope.channelId }, "click from outside the round's channel refused");
      return privateReply([{ type: "text", text: t.wrongPlace }]);
    }
    const question = await this.questionView(round.question_id, settings.language);
    const now = this.clock.now();
    if (round.status === "closed" || round.closes_at <= now.toISOString()) {
      if (round.status === "open") this.inBackground(() => this.closeRound(round.id));
      return privateReply([{ type: "text", text: t.roundClosed(choiceLabel(question, question.answer)) }]);
    }
    const choice = Number(choiceText);
    if (!Number.isInteger(choice) || choice < 0 || choice >= question.text.choices.length) {
      return privateReply([{ type: "text", text: t.roundGone }]);
    }
    const correct = choice === question.answer;
    const localDate = time.localDateOf(now, settings.timezone);
    // A member new to this process is stored in the answer's own transaction rather than in a commit of its own.
    const storeMember = this.stored.get(scope.memberId) !== scope.displayName;
    const outcome = await this.writes.run(async (trx) => {
      if (storeMember && firstInTransaction(trx, `member|${scope.memberId}`)) await this.storeMember(trx, scope);
      const base = correct ? points.perDifficulty * question.difficulty : 0;
      const inserted = await progress.insertAnswer(trx, {
        round_id: round.id,
        member_id: scope.memberId,
        workspace_id: scope.workspaceId,
        choice,
        correct: correct ? 1 : 0,
        points: base,
        answered_at: now.toISOString(),
        local_date: localDate,
      });
      if (!inserted) return { inserted, points: 0, earlier: await progress.getAnswer(trx, round.id, scope.memberId) };
      let total = base;
      if (correct && (await rounds.claimFirstCorrect(trx, round.id, scope.memberId))) {
        await progress.addAnswerPoints(trx, round.id, scope.memberId, points.firstCorrectBonus);
        total += points.firstCorrectBonus;
      }
      const day = `${scope.memberId}|${localDate}`;
      if (!this.activeDays.has(day) && firstInTransaction(trx, day))
        await progress.recordActivity(trx, scope.workspaceId, scope.memberId, localDate);
      await progress.addScore(trx, scoreEvent(scope, now, localDate, total, 1, correct ? 1 : 0));
      await this.saveReview(trx, scope, round.question_id, correct ? "good" : "again", now, { firstSightLikely: true });
      return { inserted, points: total, earlier: undefined };
    });
    if (storeMember) this.stored.set(scope.memberId, scope.displayName);
    if (!outcome.inserted) {
      return privateReply([{ type: "text", text: t.alreadyAnswered(choiceLabel(question, outcome.earlier?.choice ?? 0)) }]);
    }
    if (this.activeDays.size >= maxRemembered) this.activeDays.clear();
    this.activeDays.add(`${scope.memberId}|${localDate}`);
    this.scheduleCountEdit(round.id);
    return privateReply(renderFeedback(t, question, choice, outcome.points));
  }

  private async markRead(scope: Scope, digestId: string): Promise<Reply> {
    const { t } = scope;
    const digest = await digests.getDigestById(this.db, digestId);
    if (!digest) return privateReply([{ type: "text", text: t.roundGone }]);
    if (digest.workspace_id !== scope.workspaceId) return privateReply([{ type: "text", text: t.wrongPlace }]);
    await this.ensureMember(scope);
    const now = this.clock.now();
    const localDate = time.localDateOf(now, scope.settings.timezone);
    const recorded = await this.db.transaction().execute(async (trx) => {
      const inserted = await progress.insertRead(trx, {
        memberId: scope.memberId,
        localDate,
        workspaceId: scope.workspaceId,
        digestId,
        points: points.read,
        at: now,
      });
      if (!inserted) return false;
      await progress.recordActivity(trx, scope.workspaceId, scope.memberId, localDate);
      await progress.addScore(trx, scoreEvent(scope, now, localDate, points.read, 0, 0));
      return true;
    });
    return privateReply([{ type: "text", text: recorded ? t.readRecorded(points.read) : t.readAlready }]);
  }

  // ---- squads ----

  /** Squads ranked by this week's points per active member, each with its own streak (the team's quorum rule). */
  private async squadBoard(scope: Scope): Promise<Reply> {
    const { t, settings } = scope;
    const list = await squads.listSquads(this.db, scope.workspaceId);
    if (list.length === 0) return privateReply([{ type: "text", text: t.noSquads }]);
    const today = time.localDateOf(this.clock.now(), settings.timezone);
    const totals = new Map(
      (await progress.scoreTotals(this.db, scope.workspaceId, { period: "week", startsOn: time.startOfWeek(today) })).map((row) => [
        row.memberId,
        row,
      ]),
    );
    const adapter = this.adapters.get(scope.address.platform);
    const rows = [];
    for (const squad of list) {
      const members = adapter?.groupMembers
        ? (await adapter.groupMembers(scope.address.workspaceId, squad.group_id)).map((userId) => memberKey(scope.address, userId))
        : await squads.membersSeenIn(this.db, scope.workspaceId, squad.group_id);
      const active = members.filter((id) => totals.has(id));
      const points = active.reduce((sum, id) => sum + (totals.get(id)?.points ?? 0), 0);
      const days = new Map<string, number>();
      for (const dates of (await progress.activeDates(this.db, scope.workspaceId, members)).values()) {
        for (const date of dates) days.set(date, (days.get(date) ?? 0) + 1);
      }
      const streak = teamStreak(days, effectiveQuorum(settings.quorum, members.length), settings.studyDays, today);
      rows.push({ name: squad.name, perMember: active.length > 0 ? points / active.length : 0, active: active.length, streak });
    }
    rows.sort((a, b) => b.perMember - a.perMember || b.active - a.active);
    return publicReply([
      { type: "header", text: t.squadsTitle },
      {
        type: "table",
        columns: [...t.squadColumns],
        rows: rows.map((row, i) => [
          String(i + 1),
          row.name,
          String(Math.round(row.perMember * 10) / 10),
          String(row.active),
          String(row.streak),
        ]),
      },
    ]);
  }

  // ---- weekly recap ----

  /** On the first study day of a week, before that day's digest: last week's recap, once per channel and week. */
  private async postRecapIfDue(address: ChannelAddress, settings: Settings, today: string): Promise<void> {
    const weekStart = time.startOfWeek(today);
    // Only on the week's first study day: today is one, and no day from Monday (1) to yesterday is.
    const weekday = time.weekdayOf(today);
    if (!settings.studyDays.has(weekday)) return;
    for (let day = 1; day < weekday; day++) if (settings.studyDays.has(day)) return;
    const channelId = channelKey(address);
    const adapter = this.adapterFor(channelId);
    const now = this.clock.now();
    const key = `recap:${channelId}:${weekStart}`;
    const existing = await recaps.getRecap(this.db, channelId, weekStart);
    const id = existing?.id ?? randomUUID();
    if (existing?.status === "posted") return;
    if (existing) {
      if (now.getTime() - new Date(existing.claimed_at).getTime() < this.staleClaimMs) return;
      const found = await adapter.findPosted?.(address, key, new Date(existing.claimed_at));
      if (found) return recaps.confirmRecap(this.db, existing.id, found);
      if (!(await reclaim(this.db, "recaps", existing.id, existing.claimed_at, now))) return;
    } else if (!(await recaps.claimRecap(this.db, { id, channelId, weekStart }, now))) {
      return;
    }
    try {
      const recap = await this.recapMessage(workspaceKey(address), settings, weekStart);
      // A week nobody studied gets no recap; the row still records that the week is done.
      const ref = recap ? await this.post(address, recap, { key }) : "";
      await recaps.confirmRecap(this.db, id, ref);
    } catch (error) {
      this.log.warn({ err: error, channelId, weekStart }, "weekly recap post failed");
      await recaps.releaseRecap(this.db, id);
    }
  }

  /** Last week in one message (top 5, longest streaks, the team streak, the hardest question, the weakest topics), or none for a quiet week. */
  private async recapMessage(workspaceId: string, settings: Settings, weekStart: string): Promise<OutMessage | undefined> {
    const t = strings(settings.language);
    const lastWeek = time.addDays(weekStart, -7);
    const totals = progress.rankTotals(await progress.scoreTotals(this.db, workspaceId, { period: "week", startsOn: lastWeek }));
    const blocks: Block[] = [{ type: "header", text: t.recapTitle(lastWeek) }];
    if (totals.length === 0) return undefined;
    const today = time.localDateOf(this.clock.now(), settings.timezone);
    const ids = totals.map((row) => row.memberId);
    const names = new Map((await workspaces.membersByIds(this.db, workspaceId, ids)).map((m) => [m.id, m.display_name]));
    const dates = await progress.activeDates(this.db, workspaceId, ids);
    const streaks = ids
      .map((id) => ({ id, streak: personalStreak(dates.get(id) ?? new Set(), settings.studyDays, today).current }))
      .filter((x) => x.streak > 0)
      .sort((a, b) => b.streak - a.streak)
      .slice(0, 3);
    const quorum = effectiveQuorum(settings.quorum, await workspaces.countMembers(this.db, workspaceId));
    const team = teamStreak(await progress.activeMemberCounts(this.db, workspaceId), quorum, settings.studyDays, today);
    blocks.push({
      type: "table",
      columns: [...t.columns.slice(0, 4)],
      rows: totals
        .slice(0, 5)
        .map((row, i) => [
          String(i + 1),
          names.get(row.memberId) ?? "?",
          String(row.points),
          row.answered > 0 ? `${Math.round((100 * row.correct) / row.answered)}%` : "-",
        ]),
    });
    blocks.push({
      type: "fields",
      fields: [
        { label: t.recapStreaks, value: streaks.map((x) => `${names.get(x.id) ?? "?"} ${x.streak}`).join(", ") || "-" },
        { label: t.teamStreak, value: t.days(team) },
      ],
    });
    const hardest = [...(await progress.questionAccuracy(this.db, workspaceId, { since: lastWeek, until: weekStart })).entries()]
      .filter(([, s]) => s.answered >= 2)
      .sort(([, a], [, b]) => a.correct / a.answered - b.correct / b.answered || b.answered - a.answered)[0];
    if (hardest) {
      const [questionId, stats] = hardest;
      const question = await this.questionView(questionId, settings.language);
      const pct = Math.round((100 * stats.correct) / stats.answered);
      blocks.push({
        type: "text",
        text: `${t.recapHardest}: ${t.recapHardestLine(question.text.prompt, pct, choiceLabel(question, question.answer))}`,
      });
    }
    const weakest = [...(await progress.topicAccuracy(this.db, workspaceId)).entries()]
      .filter(([, s]) => s.answered >= 2)
      .sort(([, a], [, b]) => a.correct / a.answered - b.correct / b.answered)
      .slice(0, 3)
      .map(([id]) => id);
    const topics = await this.topicList();
    if (weakest.length > 0) {
      const named = weakest.map((id) => {
        const topic = topics.find((x) => x.id === id);
        return topic ? `${this.topicName(topic, settings.language)} (${id})` : id;
      });
      blocks.push({ type: "text", text: `${t.recapWeakest}: ${named.join(", ")}` });
      blocks.push({ type: "context", text: t.recapQuizThem(weakest.map((id) => `/study quiz ${id}`).join(" · ")) });
    }
    const accuracy = await progress.topicAccuracy(this.db, workspaceId);
    const branches = topics
      .filter((x) => depthOf(x.id) === 0)
      .map((branch) => {
        const stats = topics
          .filter((x) => isWithin(x.id, branch.id))
          .reduce(
            (sum, x) => ({
              answered: sum.answered + (accuracy.get(x.id)?.answered ?? 0),
              correct: sum.correct + (accuracy.get(x.id)?.correct ?? 0),
            }),
            {
              answered: 0,
              correct: 0,
            },
          );
        return { id: branch.id, share: stats.answered > 0 ? stats.correct / stats.answered : undefined };
      });
    const legend = branches.map((b) => `${b.id} ${b.share === undefined ? "-" : `${Math.round(100 * b.share)}%`}`).join(", ");
    blocks.push({ type: "context", text: t.recapPicture(legend) });
    const heatmap = { counts: await progress.activeMemberCounts(this.db, workspaceId), end: time.addDays(weekStart, -1), weeks: 12 };
    return {
      ...message(blocks),
      image: {
        name: `recap-${weekStart}.png`,
        png: recapPng(
          heatmap,
          branches.map((b) => b.share ?? 0),
        ),
        alt: t.recapPicture(legend),
      },
    };
  }

  // ---- question reports ----

  /** The form a member fills in to report a closed round's question. */
  private async reportForm(scope: Scope, roundId: string): Promise<Reply> {
    const { t } = scope;
    const round = await rounds.getRound(this.db, roundId);
    if (!round) return privateReply([{ type: "text", text: t.roundGone }]);
    if (round.workspace_id !== scope.workspaceId) return privateReply([{ type: "text", text: t.wrongPlace }]);
    return {
      ...privateReply([{ type: "text", text: t.reportPrompt }]),
      form: { title: t.reportTitle, label: t.reportLabel, action: "report-submit", value: roundId },
    };
  }

  private async saveReport(scope: Scope, roundId: string, note: string | undefined): Promise<Reply> {
    const { t } = scope;
    const round = await rounds.getRound(this.db, roundId);
    if (!round) return privateReply([{ type: "text", text: t.roundGone }]);
    if (round.workspace_id !== scope.workspaceId) return privateReply([{ type: "text", text: t.wrongPlace }]);
    await this.ensureMember(scope);
    const saved = await reports.insertReport(this.db, {
      id: randomUUID(),
      workspaceId: scope.workspaceId,
      questionId: round.question_id,
      memberId: scope.memberId,
      roundId,
      note: note?.trim().slice(0, 1000) || null,
      now: this.clock.now(),
    });
    this.statsCache.delete(scope.workspaceId);
    return privateReply([{ type: "text", text: saved ? t.reportThanks : t.reportAlready }]);
  }

  private async listReports(scope: Scope): Promise<Reply> {
    const { t } = scope;
    const open = await reports.openReports(this.db, scope.workspaceId);
    if (open.length === 0) return privateReply([{ type: "text", text: t.noReports }]);
    const lines = open.map(
      (q) => `${q.questionId} (${q.reports.length}): ${q.reports.map((r) => (r.note ? `${r.by}: ${r.note}` : r.by)).join("; ")}`,
    );
    return privateReply([
      { type: "header", text: t.reportsTitle },
      { type: "text", text: lines.join("\n") },
      { type: "context", text: t.reportsHint },
    ]);
  }

  // ---- spaced-repetition review ----

  /** The member's next card due today (the workspace's local day), or when the next one falls due. */
  private async nextReviewCard(scope: Scope): Promise<Reply> {
    const { t, settings } = scope;
    const now = this.clock.now();
    const endOfToday = time.endOfLocalDay(time.localDateOf(now, settings.timezone), settings.timezone);
    const { first, count } = await cards.dueCards(this.db, scope.memberId, endOfToday);
    if (!first) {
      const next = await cards.nextDue(this.db, scope.memberId);
      const text = next ? t.nothingDue(time.formatLocal(new Date(next), settings.timezone)) : t.noCards;
      return privateReply([{ type: "text", text }]);
    }
    const question = await this.questionView(first.question_id, settings.language);
    return privateReply([
      { type: "header", text: t.reviewTitle(count) },
      { type: "text", text: question.text.prompt },
      { type: "text", text: question.text.choices.map((_, i) => choiceLabel(question, i)).join("\n") },
      { type: "context", text: question.topicName },
      {
        type: "buttons",
        buttons: question.text.choices.map((_, i) => ({
          action: "review",
          value: `${question.id}:${i}:${now.getTime()}`,
          label: choiceLabel(question, i).slice(0, 1),
          key: String(i + 1),
        })),
      },
    ]);
  }

  /** Grades a review answer (wrong: Again; right and quick: Good; right and slow: Hard) and shows why. */
  private async answerReview(scope: Scope, value: string): Promise<Reply> {
    const { t, settings } = scope;
    const [questionId = "", choiceText = "", shownAt = "0"] = value.split(":");
    const question = await this.questionView(questionId, settings.language);
    const choice = Number(choiceText);
    const now = this.clock.now();
    const correct = choice === question.answer;
    await this.ensureMember(scope);
    const due = await this.db.transaction().execute(async (trx) => {
      await progress.recordActivity(trx, scope.workspaceId, scope.memberId, time.localDateOf(now, settings.timezone));
      return this.saveReview(trx, scope, questionId, gradeOf(correct, now.getTime() - Number(shownAt)), now);
    });
    const buttons: Button[] = [{ action: "review-next", value: "next", label: t.nextCard, key: "n", style: "primary" }];
    if (correct) buttons.unshift({ action: "review-easy", value: questionId, label: t.markEasy, key: "e" });
    return privateReply([
      { type: "text", text: correct ? t.reviewRight : t.wrong(choiceLabel(question, question.answer)) },
      ...renderFeedback(t, question, choice, 0).slice(1),
      { type: "context", text: t.nextReview(time.formatLocal(due, settings.timezone)) },
      { type: "buttons", buttons },
    ]);
  }

  /** Re-rates the member's last review of a question as Easy. */
  private async rateEasy(scope: Scope, questionId: string): Promise<Reply> {
    const { t, settings } = scope;
    const card = await cards.getCard(this.db, scope.memberId, questionId);
    if (!card) return privateReply([{ type: "text", text: t.roundGone }]);
    const next = review(card.previous_state ?? undefined, "easy", new Date(card.reviewed_at));
    await cards.saveCard(this.db, { ...card, state: next.state, due: next.due.toISOString() });
    return privateReply([
      { type: "text", text: t.easyRecorded(time.formatLocal(next.due, settings.timezone)) },
      { type: "buttons", buttons: [{ action: "review-next", value: "next", label: t.nextCard, key: "n", style: "primary" }] },
    ]);
  }

  /** Moves the member's card for a question on by one review; returns when it is due next. */
  private async saveReview(
    db: Db,
    scope: Scope,
    questionId: string,
    grade: Grade,
    now: Date,
    hint?: { firstSightLikely: boolean },
  ): Promise<Date> {
    const known = `${scope.memberId}|${questionId}`;
    if (this.knownCards.size >= maxRemembered) this.knownCards.clear();
    if (hint?.firstSightLikely && !this.knownCards.has(known)) {
      // A round's question is usually new to the member: one insert then, and the read-modify-write only if it is not.
      const first = review(undefined, grade, now);
      const row = { member_id: scope.memberId, question_id: questionId, workspace_id: scope.workspaceId, previous_state: null };
      const inserted = await cards.insertCard(db, {
        ...row,
        state: first.state,
        due: first.due.toISOString(),
        reviewed_at: now.toISOString(),
      });
      this.knownCards.add(known);
      if (inserted) return first.due;
    }
    const card = await cards.getCard(db, scope.memberId, questionId);
    const next = review(card?.state, grade, now);
    this.knownCards.add(known);
    const row = {
      member_id: scope.memberId,
      question_id: questionId,
      workspace_id: scope.workspaceId,
      state: next.state,
      previous_state: card?.state ?? null,
      due: next.due.toISOString(),
      reviewed_at: now.toISOString(),
    };
    if (!card || !(await cards.updateCard(db, row))) await cards.saveCard(db, row);
    return next.due;
  }

  // ---- digests ----

  /**
   * The channel's article for a date: chosen once, then the same for /study digest and the scheduled post. The fan-out
   * passes `claimAt`, so a digest it chooses is claimed by the same insert; `claimed` says this call claimed it.
   */
  private async digestFor(
    workspaceId: string,
    channelId: string,
    localDate: string,
    claimAt?: Date,
  ): Promise<{ digest: digests.DigestRow; claimed: boolean }> {
    const existing = await digests.getDigest(this.db, channelId, localDate);
    if (existing) return { digest: existing, claimed: false };
    const { cycle, used } = await digests.rotationState(this.db, channelId);
    const next = nextArticle((await this.articles()).activeUrls, used, channelId, cycle);
    if (!next) throw new Error("no articles imported: run study-bot seed");
    const chosen = {
      id: randomUUID(),
      channel_id: channelId,
      workspace_id: workspaceId,
      local_date: localDate,
      article_url: next.url,
      cycle: next.cycle,
    };
    const inserted = await this.writes.run((trx) => digests.insertDigest(trx, chosen, claimAt));
    // Not inserted: another process chose first, and its row is the day's digest.
    if (!inserted) return { digest: (await digests.getDigest(this.db, channelId, localDate)) as digests.DigestRow, claimed: false };
    return { digest: inserted, claimed: claimAt !== undefined };
  }

  /**
   * Posts one channel's digest for a date, at most once: the claim is committed before the platform call.
   * A claim left unconfirmed (a crash between the post and the commit) is first looked for on the platform.
   */
  private async postDigest(address: ChannelAddress, settings: Settings, localDate: string): Promise<boolean> {
    const channelId = channelKey(address);
    const now = this.clock.now();
    const { digest, claimed } = await this.digestFor(workspaceKey(address), channelId, localDate, now);
    if (claimed) return this.deliverDigest(digest, address, settings, localDate);
    const adapter = this.adapterFor(channelId);
    const key = `digest:${digest.id}`;
    if (digest.status === "posted") return false;
    if (digest.next_attempt_at && digest.next_attempt_at > now.toISOString()) return false;
    if (digest.status === "claimed") {
      const claimedAt = new Date(digest.claimed_at ?? 0);
      // A fresh claim belongs to a pass that is posting right now.
      if (now.getTime() - claimedAt.getTime() < this.staleClaimMs) return false;
      const found = await adapter.findPosted?.(address, key, claimedAt);
      if (found) {
        this.log.info({ channelId, localDate }, "found a posted but unconfirmed digest; not posting again");
        await this.finishDigest(digest, found, address, settings);
        return false;
      }
      if (!(await reclaim(this.db, "digests", digest.id, digest.claimed_at ?? "", now))) return false;
    } else if (!(await this.writes.run((trx) => digests.claimDigest(trx, digest.id, now)))) {
      return false;
    }
    return this.deliverDigest(digest, address, settings, localDate);
  }

  /** Posts a digest this pass has claimed, then records it and opens its question of the day. */
  private async deliverDigest(digest: digests.DigestRow, address: ChannelAddress, settings: Settings, localDate: string): Promise<boolean> {
    let messageRef: string;
    try {
      messageRef = await this.post(address, await this.digestMessage(digest, settings, localDate), {
        key: `digest:${digest.id}`,
      });
    } catch (error) {
      await this.digestFailed(digest, digest.channel_id, error);
      return false;
    }
    this.options.faults?.afterDigestPost?.();
    await this.finishDigest(digest, messageRef, address, settings);
    return true;
  }

  /** A refusal for good stops the subscription; anything else is retried later the same day, until it has failed too often. */
  private async digestFailed(digest: digests.DigestRow, channelId: string, error: unknown): Promise<void> {
    const now = this.clock.now();
    const reason = (error as Error).message;
    this.log.warn({ err: error, channelId, localDate: digest.local_date, attempt: digest.attempts + 1 }, "digest post failed");
    if (error instanceof PermanentDeliveryError) {
      await workspaces.markSubscriptionsFailing(this.db, { channelId }, reason, now);
      return;
    }
    if (digest.attempts + 1 >= maxDigestAttempts) {
      await workspaces.markSubscriptionsFailing(this.db, { channelId }, `gave up after ${maxDigestAttempts} attempts: ${reason}`, now);
    }
    await digests.releaseDigestClaim(this.db, digest.id, reason, new Date(now.getTime() + 60_000 * 2 ** digest.attempts));
  }

  /** Records a posted digest and opens its question of the day, tied to the article's topics. */
  private async finishDigest(digest: digests.DigestRow, messageRef: string, address: ChannelAddress, settings: Settings): Promise<void> {
    const postedAt = this.clock.now();
    const article = await this.articleOf(digest.article_url);
    const topicIds = topicsWithin(await this.topicList(), article?.topics ?? "[]");
    const scope = { workspaceId: digest.workspace_id, channelId: digest.channel_id, address, settings };
    const questionId = await this.pickQuestion(scope.workspaceId, scope.channelId, topicIds, digest.article_url);
    // The digest is confirmed in the same commit as its round's insert: one write fewer a channel in a fan-out.
    const confirm = async (trx: Db, roundId: string | undefined) => {
      await digests.confirmDigest(trx, digest.id, messageRef, postedAt, roundId);
    };
    if (!questionId) return this.writes.run((trx) => confirm(trx, undefined));
    await this.openRound(scope, questionId, "daily", time.endOfLocalDay(digest.local_date, settings.timezone), confirm);
  }

  private async digestMessage(digest: digests.DigestRow, settings: Settings, today: string) {
    const article = await this.articleOf(digest.article_url);
    if (!article) throw new Error(`article ${digest.article_url} is missing`);
    const topics = await this.topicList();
    const topicNames = (JSON.parse(article.topics) as string[]).map((id) => {
      const topic = topics.find((x) => x.id === id);
      return topic ? this.topicName(topic, settings.language) : id;
    });
    return renderDigest(strings(settings.language), settings.language, {
      digestId: digest.id,
      localDate: digest.local_date,
      today: digest.local_date === today,
      zhTitle: article.zh_title,
      enTitle: article.en_title,
      published: article.published,
      url: article.url,
      zhUrl: article.zh_url,
      topicNames,
    });
  }

  // ---- rounds ----

  /**
   * Picks a question not asked in this channel in the last 30 days (any, if all were), weighted toward
   * topics the team answers worst; a question written about `articleUrl` comes first when there is one.
   */
  private async pickQuestion(workspaceId: string, channelId: string, topicIds: string[] | undefined, articleUrl: string | undefined) {
    const since = new Date(this.clock.now().getTime() - recentQuestionDays * 86_400_000);
    const recent = await rounds.questionsAskedSince(this.db, channelId, since);
    const all = await this.cachedContent("candidates", () => content.questionCandidates(this.db));
    const index = candidateIndex(all);
    const inTopics = () => (topicIds && topicIds.length > 0 ? index.inTopics(topicIds) : topicIds ? [] : all);
    const fresh = <T extends { id: string }>(list: T[]) => list.filter((q) => !recent.has(q.id));
    // In order of preference, each built only when the ones before it are empty.
    const pools = [
      ...(articleUrl ? [() => fresh(index.aboutArticle(articleUrl))] : []),
      () => fresh(inTopics()),
      ...(articleUrl ? [() => fresh(all)] : []),
      inTopics,
    ];
    let pool: ReturnType<typeof inTopics> = [];
    for (const build of pools) {
      pool = build();
      if (pool.length > 0) break;
    }
    if (pool.length === 0) return undefined;
    return pickWeighted(
      pool.map((q) => ({ id: q.id, topicId: q.topic_id })),
      await this.pickerStats(workspaceId),
      this.random,
    )?.id;
  }

  /**
   * The team's accuracy and reports that weight the picker, kept for statsCacheMs: summing the workspace's answers for
   * every channel made a 10,000-channel digest pass scan the answer history 20,000 times (npm run bench, fan-out).
   */
  private async pickerStats(workspaceId: string) {
    const cached = this.statsCache.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < statsCacheMs) return cached.stats;
    const [topics, questions, reported] = await Promise.all([
      progress.topicAccuracy(this.db, workspaceId),
      progress.questionAccuracy(this.db, workspaceId),
      reports.reportedQuestions(this.db, workspaceId),
    ]);
    const stats = { topics, questions, reported };
    this.statsCache.set(workspaceId, { stats, loadedAt: Date.now() });
    return stats;
  }

  /**
   * Inserts and posts a round; returns its id, or undefined when the channel already has an open ad hoc round.
   * `alongside` writes in the insert's transaction, told the round's id when it was inserted.
   */
  private async openRound(
    scope: Pick<Scope, "workspaceId" | "channelId" | "address" | "settings">,
    questionId: string,
    kind: "adhoc" | "daily",
    closesAt: Date,
    alongside?: (trx: Db, roundId: string | undefined) => Promise<void>,
  ) {
    const id = randomUUID();
    const now = this.clock.now();
    const inserted = await this.writes.run(async (trx) => {
      const done = await rounds.insertRound(trx, {
        id,
        workspace_id: scope.workspaceId,
        channel_id: scope.channelId,
        question_id: questionId,
        kind,
        status: "open",
        opened_at: now.toISOString(),
        closes_at: closesAt.toISOString(),
      });
      await alongside?.(trx, done ? id : undefined);
      return done;
    });
    if (!inserted) return undefined;
    const question = await this.questionView(questionId, scope.settings.language);
    const view: RoundView = { id, kind, closesAt, timezone: scope.settings.timezone };
    try {
      const ref = await this.post(scope.address, renderRound(strings(scope.settings.language), view, question, 0));
      await this.writes.run((trx) => rounds.setRoundMessage(trx, id, ref));
    } catch (error) {
      // A round nobody can see must not block the channel's next quiz.
      await rounds.markRoundClosed(this.db, id, now);
      throw error;
    }
    for (const listener of this.roundOpenedListeners) listener(id, closesAt);
    return id;
  }

  private fanOut(platform: Platform): number {
    return this.options.fanOut?.[platform] ?? defaultFanOut[platform];
  }

  /** Posts a message, never more than the platform's fanOut at once. */
  private post(address: ChannelAddress, message: OutMessage, options?: { key?: string }): Promise<MessageRef> {
    let gate = this.postGates.get(address.platform);
    if (!gate) {
      gate = new Gate(this.fanOut(address.platform));
      this.postGates.set(address.platform, gate);
    }
    return gate.run(() => this.adapterFor(channelKey(address)).post(address, message, options));
  }

  /** Edits a round's public answer count, at most once every 2 seconds per round. */
  private scheduleCountEdit(roundId: string): void {
    const edit = this.countEdits.get(roundId) ?? { last: 0 };
    this.countEdits.set(roundId, edit);
    if (edit.timer) return;
    const wait = Math.max(0, edit.last + countEditIntervalMs - Date.now());
    edit.timer = setTimeout(() => {
      edit.timer = undefined;
      edit.last = Date.now();
      this.inBackground(() => {
        edit.running = this.editCount(roundId);
        return edit.running;
      });
    }, wait);
    edit.timer.unref();
  }

  private async editCount(roundId: string): Promise<void> {
    const round = await rounds.getRound(this.db, roundId);
    if (round?.status !== "open" || !round.message_ref) return;
    const settings = await this.settingsOf(round.workspace_id);
    const question = await this.questionView(round.question_id, settings.language);
    const count = await progress.countRoundAnswers(this.db, roundId);
    const message = renderRound(strings(settings.language), roundView(round, settings.timezone), question, count);
    await this.adapterFor(round.channel_id).update(this.addressOf(round.channel_id), round.message_ref, message);
  }

  // ---- helpers ----

  private async enter(address: ChannelAddress, userId: string, displayName: string, workspaceName: string | undefined): Promise<Scope> {
    const now = this.clock.now();
    const workspaceId = workspaceKey(address);
    const channelId = channelKey(address);
    const memberId = memberKey(address, userId);
    if (!this.stored.has(workspaceId)) {
      await workspaces.ensureWorkspace(
        this.db,
        { id: workspaceId, platform: address.platform, externalId: address.workspaceId, name: workspaceName ?? null },
        now,
      );
      this.stored.set(workspaceId, "");
    }
    if (!this.stored.has(channelId)) {
      await workspaces.ensureChannel(this.db, { id: channelId, workspaceId, externalId: address.channelId });
      this.stored.set(channelId, "");
    }
    const settings = await this.settingsOf(workspaceId);
    return { workspaceId, channelId, memberId, userId, displayName, address, settings, t: strings(settings.language) };
  }

  /** Keeps the groups a platform reports with each event (Discord roles), for squads. */
  private async rememberGroups(scope: Scope, groups: string[] | undefined): Promise<void> {
    if (!groups) return;
    // A member in no group leaves no trace; one in groups is stored so squads can count them.
    if (groups.length > 0) await this.ensureMember(scope);
    const key = [...groups].sort().join(",");
    if (this.knownGroups.get(scope.memberId) === key) return;
    await this.writeOnce(`groups|${scope.memberId}|${key}`, async () => {
      await squads.setMemberGroups(this.db, scope.workspaceId, scope.memberId, groups);
      this.knownGroups.set(scope.memberId, key);
    });
  }

  /** Members are stored when they first earn something, so refused input leaves no trace. */
  private async ensureMember(scope: Scope): Promise<void> {
    if (this.stored.get(scope.memberId) === scope.displayName) return;
    await this.writeOnce(`member|${scope.memberId}|${scope.displayName}`, async () => {
      await this.storeMember(this.db, scope);
      this.stored.set(scope.memberId, scope.displayName);
    });
  }

  private storeMember(db: Db, scope: Scope): Promise<void> {
    const member = { id: scope.memberId, workspaceId: scope.workspaceId, externalId: scope.userId, displayName: scope.displayName };
    return workspaces.ensureMember(db, member, this.clock.now());
  }

  /** Runs a write unless the same one is already in flight, in which case it waits for that one. */
  private writeOnce(key: string, write: () => Promise<void>): Promise<void> {
    let running = this.memberWrites.get(key);
    if (!running) {
      running = write().finally(() => this.memberWrites.delete(key));
      this.memberWrites.set(key, running);
    }
    return running;
  }

  /** A workspace's effective settings: its own values over the deployment's defaults. */
  async settingsOf(workspaceId: string): Promise<Settings> {
    const cached = this.settingsCache.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < settingsCacheMs) return cached.settings;
    const settings = this.settingsFromRow(await workspaces.getWorkspace(this.db, workspaceId));
    this.settingsCache.set(workspaceId, { settings, loadedAt: Date.now() });
    return settings;
  }

  private settingsFromRow(
    row: Pick<WorkspaceRow, "timezone" | "language" | "study_days" | "quiz_duration_s" | "team_quorum"> | undefined,
  ): Settings {
    return {
      timezone: row?.timezone ?? this.options.defaults.timezone,
      language: (row?.language as Language | null) ?? this.options.defaults.language,
      studyDays: (row?.study_days && parsedStudyDays(row.study_days)) || defaultStudyDays,
      quizSeconds: row?.quiz_duration_s ?? defaultQuizSeconds,
      quorum: row?.team_quorum ?? null,
    };
  }

  private freshContent() {
    const now = Date.now();
    if (now - this.content.loadedAt > contentCacheMs) this.content = { loadedAt: now, questions: new Map() };
    return this.content;
  }

  private async topicList(): Promise<TopicNode[]> {
    return this.cachedContent("topics", async () =>
      (await content.activeTopics(this.db)).map((x) => ({ id: x.id, parentId: x.parent_id, zh: x.zh_name, en: x.en_name })),
    );
  }

  private articles() {
    return this.cachedContent("articles", async () => {
      const rows = await content.allArticles(this.db);
      return { byUrl: new Map(rows.map((a) => [a.url, a])), activeUrls: rows.filter((a) => a.retired === 0).map((a) => a.url) };
    });
  }

  /** An article from the cache, or from the database when it was imported after the cache was loaded. */
  private async articleOf(url: string): Promise<content.ArticleRow | undefined> {
    return (await this.articles()).byUrl.get(url) ?? content.getArticle(this.db, url);
  }

  /** One load shared by every caller until the content cache expires; a failed load is forgotten, not kept. */
  private cachedContent<K extends "topics" | "candidates" | "articles">(key: K, load: () => NonNullable<ContentCache[K]>) {
    const cache = this.freshContent();
    const existing = cache[key];
    if (existing) return existing as NonNullable<ContentCache[K]>;
    const loading = load();
    cache[key] = loading;
    loading.catch(() => {
      if (cache[key] === loading) cache[key] = undefined;
    });
    return loading;
  }

  private topicName(topic: TopicNode, language: Language): string {
    return language === "zh" ? topic.zh : topic.en;
  }

  private async questionView(questionId: string, language: Language): Promise<QuestionView> {
    const cache = this.freshContent();
    const key = `${language}:${questionId}`;
    const cached = cache.questions.get(key);
    if (cached) return cached;
    const view = await this.loadQuestionView(questionId, language);
    cache.questions.set(key, view);
    return view;
  }

  private async loadQuestionView(questionId: string, language: Language): Promise<QuestionView> {
    const row = await content.getQuestion(this.db, questionId);
    if (!row) throw new Error(`question ${questionId} is missing`);
    const body = JSON.parse(row.body);
    const topic = (await this.topicList()).find((x) => x.id === row.topic_id);
    return {
      id: row.id,
      difficulty: row.difficulty,
      answer: row.answer,
      text: body[language],
      topicName: topic ? this.topicName(topic, language) : row.topic_id,
      source: await this.sourceOf(row.source_kind, row.source_ref, language),
    };
  }

  private async sourceOf(kind: string, ref: string, language: Language): Promise<{ label: string; url?: string }> {
    if (kind === "article") {
      const article = await this.articleOf(ref);
      return { label: article ? (language === "zh" ? article.zh_title : article.en_title) : ref, url: ref };
    }
    if (kind === "book") {
      const book = await this.db.selectFrom("reading").selectAll().where("id", "=", ref).executeTakeFirst();
      return { label: book ? (language === "zh" ? book.title : book.en_title) + (book.author ? `, ${book.author}` : "") : ref };
    }
    const topic = (await this.topicList()).find((x) => x.id === ref);
    const roadmap = language === "zh" ? "路线图" : "Roadmap";
    return { label: `${roadmap}: ${topic ? this.topicName(topic, language) : ref}` };
  }

  private adapterFor(channelId: string): ChatAdapter {
    const platform = channelId.slice(0, channelId.indexOf(":")) as Platform;
    const adapter = this.adapters.get(platform);
    if (!adapter) throw new Error(`no adapter for platform ${platform}`);
    return adapter;
  }

  private addressOf(channelId: string): ChannelAddress {
    const [platform, workspaceId, ...rest] = channelId.split(":");
    return { platform: platform as Platform, workspaceId: workspaceId as string, channelId: rest.join(":") };
  }

  private inBackground(work: () => Promise<unknown>): void {
    const task = new Promise((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error) => this.log.error({ err: error }, "background work failed"))
      .finally(() => this.background.delete(task));
    this.background.add(task);
  }
}

interface ContentCache {
  loadedAt: number;
  // Promises, so that the many channels of a fan-out asking at once share one query.
  topics?: Promise<TopicNode[]>;
  questions: Map<string, QuestionView>;
  candidates?: ReturnType<typeof content.questionCandidates>;
  articles?: Promise<{ byUrl: Map<string, content.ArticleRow>; activeUrls: string[] }>;
}

type Candidates = Awaited<ReturnType<typeof content.questionCandidates>>;

/** Candidate questions about an article or in a set of topics, kept per content load: a fan-out asks for the same few for every channel. */
const candidateIndexes = new WeakMap<Candidates, { aboutArticle(url: string): Candidates; inTopics(topicIds: string[]): Candidates }>();

function candidateIndex(all: Candidates) {
  let index = candidateIndexes.get(all);
  if (!index) {
    const byArticle = new Map<string | null, Candidates>();
    for (const q of all) {
      if (q.source_kind !== "article") continue;
      const list = byArticle.get(q.source_ref);
      if (list) list.push(q);
      else byArticle.set(q.source_ref, [q]);
    }
    const byTopics = new Map<string, Candidates>();
    index = {
      aboutArticle: (url) => byArticle.get(url) ?? [],
      inTopics: (topicIds) => {
        const key = topicIds.join("\n");
        let list = byTopics.get(key);
        if (!list) {
          const wanted = new Set(topicIds);
          list = all.filter((q) => wanted.has(q.topic_id));
          byTopics.set(key, list);
        }
        return list;
      },
    };
    candidateIndexes.set(all, index);
  }
  return index;
}

/** The topics within an article's topics (given as its JSON list), kept per topic list like candidateIndex. */
const topicsWithinCache = new WeakMap<TopicNode[], Map<string, string[]>>();

function topicsWithin(topics: TopicNode[], articleTopicsJson: string): string[] {
  let byArticleTopics = topicsWithinCache.get(topics);
  if (!byArticleTopics) {
    byArticleTopics = new Map();
    topicsWithinCache.set(topics, byArticleTopics);
  }
  let ids = byArticleTopics.get(articleTopicsJson);
  if (!ids) {
    const articleTopics = JSON.parse(articleTopicsJson) as string[];
    ids = topics.filter((x) => articleTopics.some((a) => isWithin(x.id, a))).map((x) => x.id);
    byArticleTopics.set(articleTopicsJson, ids);
  }
  return ids;
}

// A fan-out reads the study days of every subscription; the few distinct texts are parsed once.
const studyDaysByText = new Map<string, StudyDays | undefined>();

function parsedStudyDays(text: string): StudyDays | undefined {
  if (!studyDaysByText.has(text)) {
    if (studyDaysByText.size >= 1000) studyDaysByText.clear();
    studyDaysByText.set(text, parseStudyDays(text));
  }
  return studyDaysByText.get(text);
}

/** Keys each open transaction has written: a member's answers that share a batch record their day once. */
const writtenIn = new WeakMap<Db, Set<string>>();

function firstInTransaction(trx: Db, key: string): boolean {
  let written = writtenIn.get(trx);
  if (!written) {
    written = new Set();
    writtenIn.set(trx, written);
  }
  if (written.has(key)) return false;
  written.add(key);
  return true;
}

function scoreEvent(scope: Scope, now: Date, localDate: string, earned: number, answered: 0 | 1, correct: 0 | 1): progress.ScoreEvent {
  return {
    workspaceId: scope.workspaceId,
    memberId: scope.memberId,
    points: earned,
    answered,
    correct,
    at: now.toISOString(),
    week: time.startOfWeek(localDate),
    month: time.startOfMonth(localDate),
  };
}

function isAdminCommand(command: Command): boolean {
  return (
    ["subscribe", "unsubscribe", "reports", "resolve", "squad"].includes(command.name) ||
    (command.name === "config" && command.change !== undefined)
  );
}

function usageReply(t: Strings, error: UsageError): Reply {
  const blocks: Block[] = [{ type: "text", text: `⚠️ ${error.message}` }];
  if (error.usage) blocks.push({ type: "context", text: `${t.usage}: ${error.usage}` });
  return privateReply(blocks);
}

function roundView(round: rounds.RoundRow, timezone: string): RoundView {
  return { id: round.id, kind: round.kind, closesAt: new Date(round.closes_at), timezone };
}

function nextStudyDay(date: string, studyDays: StudyDays): string {
  let day = time.addDays(date, 1);
  while (!studyDays.has(time.weekdayOf(day))) day = time.addDays(day, 1);
  return day;
}
