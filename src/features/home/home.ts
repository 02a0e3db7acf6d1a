import { BoundedMap } from "../../core/cache.ts";
import { UsageError } from "../../core/commands.ts";
import { strings } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { type Block, message, privateReply, type Reply } from "../../core/message.ts";
import { type ChannelAddress, type HomeViewer, PermanentDeliveryError } from "../../core/ports.ts";
import { addressOf, type Scope, type Settings, workspaceKey } from "../../core/scope.ts";
import * as progress from "../../store/progress.repository.ts";
import { subscriptionsOf } from "../dashboard/dashboard.repository.ts";
import type { Kernel } from "../kernel.ts";
import { dueCards, nextDue } from "../review/cards.repository.ts";
import { quizUsage } from "../rounds/commands.ts";
import type { Rounds } from "../rounds/rounds.ts";
import { type Standings, streakFields } from "../standings/standings.ts";
import { weakestTopics } from "../topics/accuracy.ts";
import { lastChannel, setLastChannel } from "./home.repository.ts";
import { homeStrings } from "./strings.ts";

/** By default a member's home is published at most once in this long: answers in a row make one refresh. */
export const defaultHomeRefreshMs = 5_000;
const weakestShown = 3;
/** Members whose home this process keeps current. */
const membersRemembered = 100_000;
const channelIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

interface Viewer extends HomeViewer {
  /** When the last publish started (wall time). */
  last: number;
  timer?: NodeJS.Timeout;
  /** The publishes of this member, one after another. */
  chain: Promise<void>;
}

/** A member's home: what /study me shows, and what a platform with a home (Slack's App Home) keeps published. */
export class Home {
  private readonly viewers = new BoundedMap<string, Viewer>(membersRemembered);
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly k: Kernel,
    private readonly standings: Standings,
    private readonly rounds: Rounds,
    private readonly refreshMs = defaultHomeRefreshMs,
  ) {}

  /**
   * Streak, freezes and this week's rank (read as /study streak and /study leaderboard read them), reviews due today
   * with Start review, the three weakest topics with Quiz me, the subscriptions for an admin, and the dashboard link.
   */
  async blocks(workspaceId: string, settings: Settings, memberId: string, admin: boolean, name?: string): Promise<Block[]> {
    return (await this.content(workspaceId, settings, memberId, admin, name)).blocks;
  }

  /** The home's blocks, with the streak they were read from (for /study me's picture). */
  private async content(workspaceId: string, settings: Settings, memberId: string, admin: boolean, name?: string) {
    const { db, catalog } = this.k;
    const t = strings(settings.language);
    const s = homeStrings(settings.language);
    const now = this.k.clock.now();
    const endOfToday = time.endOfLocalDay(time.localDateOf(now, settings.timezone), settings.timezone);
    const [streak, board, due, tally, topics, subscriptions] = await Promise.all([
      this.standings.streakOf(workspaceId, settings, memberId),
      this.standings.boardOf(workspaceId, settings, "week", memberId),
      dueCards(db, memberId, endOfToday),
      progress.topicAccuracy(db, workspaceId, memberId),
      catalog.topicsFor(workspaceId, settings.questionSource),
      admin ? subscriptionsOf(db, workspaceId) : undefined,
    ]);
    const rank = board.rows.find((row) => row.memberId === memberId);
    const blocks: Block[] = [
      { type: "header", text: s.title(streak.name ?? name) },
      {
        type: "fields",
        fields: [...streakFields(t, streak), { label: s.rank, value: rank ? s.rankOf(rank.rank, board.total) : s.noRank }],
      },
    ];
    if (due.count > 0) {
      blocks.push(
        { type: "text", text: s.reviewsDue(due.count) },
        { type: "buttons", buttons: [{ action: "review-next", value: "next", label: s.startReview, key: "s", style: "primary" }] },
      );
    } else {
      const next = await nextDue(db, memberId);
      blocks.push({ type: "text", text: next ? t.nothingDue(time.formatLocal(new Date(next), settings.timezone)) : t.noCards });
    }
    // Only topics the workspace still quizzes on: a Quiz me button must be able to open a round.
    const quizzable = new Map([...tally].filter(([id]) => topics.some((topic) => topic.id === id)));
    const weakest = weakestTopics(quizzable, weakestShown).map((id) => {
      const topic = topics.find((x) => x.id === id);
      return { id, name: topic ? catalog.topicName(topic, settings.language) : id, ...(tally.get(id) ?? { answered: 0, correct: 0 }) };
    });
    if (weakest.length === 0) blocks.push({ type: "text", text: s.noWeakest });
    else {
      blocks.push(
        { type: "text", text: [s.weakest, ...weakest.map((w) => s.weakLine(w.name, w.id, w.correct, w.answered))].join("\n") },
        {
          type: "buttons",
          buttons: weakest.map((w, i) => ({ action: "home-quiz", value: w.id, label: s.quizMe(w.name), key: `q${i + 1}` })),
        },
      );
    }
    if (subscriptions) {
      const lines = subscriptions.map((sub) =>
        s.subscriptionLine(sub.channel, sub.post_time, sub.status === "failing" ? t.failing(sub.failure_reason ?? "") : s.active),
      );
      blocks.push({ type: "text", text: lines.length > 0 ? [s.subscriptions, ...lines].join("\n") : s.noSubscriptions });
    }
    if (this.k.dashboard) {
      const url = this.k.dashboard.linkFor({ workspaceId, memberId, admin }, now);
      blocks.push({ type: "links", links: [{ label: s.dashboard, url }] });
    }
    blocks.push({ type: "context", text: s.footer(time.formatLocal(now, settings.timezone)) });
    return { blocks, streak };
  }

  /** /study me: the home as a private reply, with the member's study days as the streak picture. */
  async me(scope: Scope, isAdmin: () => Promise<boolean>): Promise<Reply> {
    const { blocks, streak } = await this.content(scope.workspaceId, scope.settings, scope.memberId, await isAdmin(), scope.displayName);
    const reply = privateReply(blocks);
    reply.message.image = this.standings.streakImage(streak, scope);
    return reply;
  }

  /** A member opened their home: it is published now (opened again soon after, once refreshMs has passed). */
  opened(viewer: HomeViewer): void {
    const key = `${workspaceKey(viewer)}:${viewer.userId}`;
    const known = this.viewers.get(key);
    if (known) known.isAdmin = viewer.isAdmin;
    const current = known ?? { ...viewer, last: Number.NEGATIVE_INFINITY, chain: Promise.resolve() };
    this.viewers.set(key, current);
    this.schedule(current);
  }

  /** The member did something their home shows: a home this process published is published again, at most once per refreshMs. */
  changed(scope: Scope): void {
    const viewer = this.viewers.get(scope.memberId);
    if (viewer) this.schedule(viewer);
  }

  /** Stops pending refreshes. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(viewer: Viewer): void {
    if (viewer.timer) return;
    // Wall time, not the injected clock: this paces real calls to the platform.
    const wait = Math.max(0, viewer.last + this.refreshMs - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      viewer.timer = undefined;
      // One publish at a time per member, each reading the state when it starts: the last one shows the latest.
      viewer.chain = viewer.chain.then(() => this.publish(viewer));
    }, wait);
    timer.unref();
    viewer.timer = timer;
    this.timers.add(timer);
  }

  private async publish(viewer: Viewer): Promise<void> {
    viewer.last = Date.now();
    const adapter = this.k.delivery.find(viewer.platform);
    if (!adapter?.publishHome) return;
    try {
      const workspaceId = workspaceKey(viewer);
      const settings = await this.k.scopes.settingsOf(workspaceId);
      const blocks = await this.blocks(workspaceId, settings, `${workspaceId}:${viewer.userId}`, await viewer.isAdmin());
      await adapter.publishHome(viewer.workspaceId, viewer.userId, message(blocks));
    } catch (error) {
      this.k.log.warn({ err: error, platform: viewer.platform, user: viewer.userId }, "could not publish the member's home");
    }
  }

  /**
   * Quiz me: a round on the topic in the click's channel; from a home, which has none, in the channel picked in the form
   * or else the member's last one (see lastChannel), and with neither, or when that one refuses the post, the form that
   * asks where.
   */
  async quiz(scope: Scope, topicId: string, click: { inputs: Record<string, string>; fromHome?: boolean }): Promise<Reply> {
    const s = homeStrings(scope.settings.language);
    const { db } = this.k;
    const picked = click.inputs.channel;
    if (picked !== undefined && !channelIdPattern.test(picked)) return privateReply([{ type: "text", text: s.notAChannel }]);
    const ask = (label: string): Reply => ({
      ...privateReply([{ type: "text", text: label }]),
      form: { title: s.askChannelTitle, action: "home-quiz", value: topicId, fields: [], channel: { label } },
    });
    let target: ChannelAddress | undefined = click.fromHome ? undefined : scope.address;
    if (picked) target = { platform: scope.address.platform, workspaceId: scope.address.workspaceId, channelId: picked };
    else if (click.fromHome) {
      const last = await lastChannel(db, scope.memberId);
      target = last === undefined ? undefined : addressOf(last);
    }
    if (!target) return ask(s.askChannel);
    const there = await this.k.scopes.enter(target, scope.userId, scope.displayName, undefined);
    let reply: Reply;
    try {
      reply = await this.rounds.quiz(there, topicId, quizUsage);
    } catch (error) {
      if (error instanceof UsageError) return privateReply([{ type: "text", text: `⚠️ ${error.message}` }]);
      if (!(error instanceof PermanentDeliveryError)) throw error;
      if (!click.fromHome || picked) return privateReply([{ type: "text", text: s.cannotPost(error.message) }]);
      // The last channel refused: a pick stored for it is dropped, and the member picks another at once.
      await setLastChannel(db, scope.memberId, null);
      return ask(s.pickAnother(error.message));
    }
    if (!click.fromHome) return reply;
    if (picked) await setLastChannel(db, scope.memberId, there.channelId);
    return privateReply([...reply.message.blocks, { type: "context", text: picked ? s.inPickedChannel : s.inLastChannel }]);
  }
}
