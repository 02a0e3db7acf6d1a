import { randomUUID } from "node:crypto";
import { channel } from "node:diagnostics_channel";
import type { ArticleNote } from "../../core/catalog.ts";
import { strings } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { privateReply, type Reply } from "../../core/message.ts";
import { type ChannelAddress, PermanentDeliveryError, type Platform } from "../../core/ports.ts";
import { channelKey, type Scope, type Settings, workspaceKey } from "../../core/scope.ts";
import type { StudyDays } from "../../core/study-days.ts";
import { isWithin, type TopicNode } from "../../core/topic-tree.ts";
import { reclaim } from "../../store/claims.repository.ts";
import type { Db } from "../../store/database.ts";
import * as progress from "../../store/progress.repository.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import type { Kernel } from "../kernel.ts";
import type { Recaps } from "../recaps/recaps.ts";
import { points, type Rounds } from "../rounds/rounds.ts";
import type { Seasons } from "../seasons/seasons.ts";
import { scoreEvent } from "../standings/score-event.ts";
import * as digests from "./digests.repository.ts";
import { renderDigest } from "./render.ts";
import { nextArticle } from "./rotation.ts";

/** A failing digest is retried with growing pauses (1, 2, 4 ... minutes) and given up after this many tries. */
const maxDigestAttempts = 6;

/** Crash point the crash tests subscribe to (tests/helpers/crash-points.mjs): the platform took the post, nothing is committed yet. */
export const afterDigestPost = channel("study-bot:after-digest-post");
/** Crash point: the digest's thread exists on the platform, nothing about it is committed yet. */
export const afterThreadOpened = channel("study-bot:after-thread-open");

/** The daily article: chosen once per channel and local date, posted exactly once, with its question of the day. */
export class Digests {
  constructor(
    private readonly k: Kernel,
    private readonly rounds: Rounds,
    private readonly recaps: Recaps,
    private readonly seasons: Seasons,
  ) {}

  /** /study digest: today's article for this channel, privately (the next study day's on a day off). */
  async show(scope: Scope): Promise<Reply> {
    const { settings } = scope;
    const today = time.localDateOf(this.k.clock.now(), settings.timezone);
    let digest: digests.DigestRow | undefined;
    if (settings.studyDays.has(time.weekdayOf(today))) {
      digest = (await this.digestFor(scope.workspaceId, scope.channelId, today)).digest;
    } else {
      digest =
        (await digests.latestDigest(this.k.db, scope.channelId, today)) ??
        (await this.digestFor(scope.workspaceId, scope.channelId, nextStudyDay(today, settings.studyDays))).digest;
    }
    return { visibility: "private", message: await this.message(digest, settings, today) };
  }

  /** /study next: when this channel's next daily article comes (today's, if its time has not come or it is not posted yet). */
  async next(scope: Scope): Promise<Reply> {
    const { t, settings } = scope;
    const sub = await workspaces.getSubscription(this.k.db, scope.channelId);
    if (!sub) return privateReply([{ type: "text", text: t.notSubscribedNext }]);
    if (sub.status === "failing") return privateReply([{ type: "text", text: t.failing(sub.failure_reason ?? "") }]);
    const now = this.k.clock.now();
    const today = time.localDateOf(now, settings.timezone);
    const todays = await digests.getDigest(this.k.db, scope.channelId, today);
    const postedToday = todays?.status === "posted";
    const date = settings.studyDays.has(time.weekdayOf(today)) && !postedToday ? today : nextStudyDay(today, settings.studyDays);
    const late = date === today && time.localMinuteOf(now, settings.timezone) >= (time.parseClockTime(sub.post_time) ?? 0);
    return privateReply([{ type: "text", text: late ? t.nextDigestDue : t.nextDigest(date, sub.post_time, settings.timezone) }]);
  }

  /** The "Mark as read" button: points and the day's activity, once per member and local date. */
  async markRead(scope: Scope, digestId: string): Promise<Reply> {
    const { t } = scope;
    const digest = await digests.getDigestById(this.k.db, digestId);
    if (!digest) return privateReply([{ type: "text", text: t.roundGone }]);
    if (digest.workspace_id !== scope.workspaceId) return privateReply([{ type: "text", text: t.wrongPlace }]);
    await this.k.scopes.ensureMember(scope);
    const now = this.k.clock.now();
    const localDate = time.localDateOf(now, scope.settings.timezone);
    const recorded = await this.k.db.transaction().execute(async (trx) => {
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

  /**
   * Posts every digest whose local time has come today on a study day (earlier days are never back-filled),
   * many channels at once but a bounded number per platform.
   */
  async runDue(): Promise<number> {
    const now = this.k.clock.now();
    const byPlatform = new Map<Platform, workspaces.ActiveSubscription[]>();
    for (const sub of await workspaces.activeSubscriptions(this.k.db)) {
      const list = byPlatform.get(sub.platform as Platform) ?? [];
      list.push(sub);
      byPlatform.set(sub.platform as Platform, list);
    }
    let posted = 0;
    // A fixed number of workers per platform take the next subscription: memory stays flat however many channels are due.
    const worker = async (subs: workspaces.ActiveSubscription[]) => {
      for (let sub = subs.pop(); sub; sub = subs.pop()) {
        const settings = this.k.scopes.settingsFromRow(sub);
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
        // One channel's trouble (a rate-limited history read, a database hiccup) waits for the next pass; the rest go on.
        const skipped = (error: unknown) =>
          this.k.log.warn({ err: error, channel: address.channelId }, "digest pass skipped a channel; it is retried on the next pass");
        await this.seasons.postIfDue(address, settings, today).catch(skipped);
        await this.recaps.postIfDue(address, settings, today).catch(skipped);
        const sent = await this.post(address, settings, today).catch((error) => {
          skipped(error);
          return false;
        });
        if (sent) posted++;
      }
    };
    await Promise.all(
      [...byPlatform].flatMap(([platform, subs]) => {
        subs.reverse(); // pop() then takes them in the order the database gave
        // Twice as many channels as posts in flight: while some wait on the platform, others do their database work.
        return Array.from({ length: 2 * this.k.delivery.fanOut(platform) }, () => worker(subs));
      }),
    );
    return posted;
  }

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
    const existing = await digests.getDigest(this.k.db, channelId, localDate);
    if (existing) return { digest: existing, claimed: false };
    const { cycle, used } = await digests.rotationState(this.k.db, channelId);
    const next = nextArticle((await this.k.catalog.articles()).activeUrls, used, channelId, cycle);
    if (!next) throw new Error("no articles imported: run study-bot seed");
    const chosen = {
      id: randomUUID(),
      channel_id: channelId,
      workspace_id: workspaceId,
      local_date: localDate,
      article_url: next.url,
      cycle: next.cycle,
    };
    const inserted = await this.k.writes.run((trx) => digests.insertDigest(trx, chosen, claimAt));
    // Not inserted: another process chose first, and its row is the day's digest.
    if (!inserted) return { digest: (await digests.getDigest(this.k.db, channelId, localDate)) as digests.DigestRow, claimed: false };
    return { digest: inserted, claimed: claimAt !== undefined };
  }

  /**
   * Posts one channel's digest for a date, at most once: the claim is committed before the platform call.
   * A claim left unconfirmed (a crash between the post and the commit) is first looked for on the platform.
   */
  private async post(address: ChannelAddress, settings: Settings, localDate: string): Promise<boolean> {
    const channelId = channelKey(address);
    const now = this.k.clock.now();
    const { digest, claimed } = await this.digestFor(workspaceKey(address), channelId, localDate, now);
    if (claimed) return this.deliver(digest, address, settings, localDate);
    const key = `digest:${digest.id}`;
    if (digest.status === "posted") return false;
    if (digest.next_attempt_at && digest.next_attempt_at > now.toISOString()) return false;
    if (digest.status === "claimed") {
      const claimedAt = new Date(digest.claimed_at ?? 0);
      // A fresh claim belongs to a pass that is posting right now.
      if (now.getTime() - claimedAt.getTime() < this.k.staleClaimMs) return false;
      const found = await this.k.delivery.adapterFor(address.platform).findPosted?.(address, key, claimedAt);
      if (found) {
        this.k.log.info({ channelId, localDate }, "found a posted but unconfirmed digest; not posting again");
        await this.finish(digest, found, address, settings);
        return false;
      }
      if (!(await reclaim(this.k.db, "digests", digest.id, digest.claimed_at ?? "", now))) return false;
    } else if (!(await this.k.writes.run((trx) => digests.claimDigest(trx, digest.id, now)))) {
      return false;
    }
    return this.deliver(digest, address, settings, localDate);
  }

  /** Posts a digest this pass has claimed, then records it and opens its question of the day. */
  private async deliver(digest: digests.DigestRow, address: ChannelAddress, settings: Settings, localDate: string): Promise<boolean> {
    let messageRef: string;
    try {
      messageRef = await this.k.delivery.post(address, await this.message(digest, settings, localDate), { key: `digest:${digest.id}` });
    } catch (error) {
      await this.failed(digest, digest.channel_id, error);
      return false;
    }
    if (afterDigestPost.hasSubscribers) afterDigestPost.publish({ digestId: digest.id });
    await this.finish(digest, messageRef, address, settings);
    return true;
  }

  /** A refusal for good stops the subscription; anything else is retried later the same day, until it has failed too often. */
  private async failed(digest: digests.DigestRow, channelId: string, error: unknown): Promise<void> {
    const now = this.k.clock.now();
    const reason = (error as Error).message;
    this.k.log.warn({ err: error, channelId, localDate: digest.local_date, attempt: digest.attempts + 1 }, "digest post failed");
    if (error instanceof PermanentDeliveryError) {
      await workspaces.markSubscriptionsFailing(this.k.db, { channelId }, reason, now);
      return;
    }
    if (digest.attempts + 1 >= maxDigestAttempts) {
      await workspaces.markSubscriptionsFailing(this.k.db, { channelId }, `gave up after ${maxDigestAttempts} attempts: ${reason}`, now);
    }
    await digests.releaseDigestClaim(this.k.db, digest.id, reason, new Date(now.getTime() + 60_000 * 2 ** digest.attempts));
  }

  /**
   * Records a posted digest and opens its question of the day, tied to the article's topics: in a discussion thread on
   * the digest when the workspace has threads on and the platform has them. Opening the thread is idempotent, so a
   * crash before the commit below opens the same thread again, and the question is posted once the round is committed.
   */
  private async finish(digest: digests.DigestRow, messageRef: string, address: ChannelAddress, settings: Settings): Promise<void> {
    const postedAt = this.k.clock.now();
    const article = await this.k.catalog.article(digest.article_url);
    const topicIds = topicsWithin(await this.k.catalog.topics(), article?.topics ?? "[]");
    const title = settings.language === "zh" ? article?.zh_title || article?.en_title : article?.en_title || article?.zh_title;
    const threadId = settings.thread ? await this.openThread(address, messageRef, `${title ?? ""} · ${digest.local_date}`) : undefined;
    const scope = { workspaceId: digest.workspace_id, channelId: digest.channel_id, address: { ...address, threadId }, settings };
    const questionId = await this.rounds.picker.pick(scope, topicIds, digest.article_url);
    // The digest is confirmed in the same commit as its round's insert: one write fewer a channel in a fan-out.
    const confirm = async (trx: Db, roundId: string | undefined) => {
      await digests.confirmDigest(trx, digest.id, messageRef, postedAt, roundId);
    };
    if (!questionId) return this.k.writes.run((trx) => confirm(trx, undefined));
    await this.rounds.open(scope, questionId, "daily", time.endOfLocalDay(digest.local_date, settings.timezone), confirm);
  }

  /** The digest's discussion thread, named after the article and the date; undefined (the channel) when it cannot be opened. */
  private async openThread(address: ChannelAddress, rootRef: string, name: string): Promise<string | undefined> {
    const adapter = this.k.delivery.find(address.platform);
    if (!adapter?.openThread) return undefined;
    try {
      const threadId = await adapter.openThread(address, rootRef, name);
      if (afterThreadOpened.hasSubscribers) afterThreadOpened.publish({ threadId });
      return threadId;
    } catch (error) {
      // No thread (a permission missing, say): the question goes to the channel, as with threads off.
      this.k.log.warn({ err: error, channel: address.channelId }, "daily thread not opened; the question goes to the channel");
      return undefined;
    }
  }

  private async message(digest: digests.DigestRow, settings: Settings, today: string) {
    const article = await this.k.catalog.article(digest.article_url);
    if (!article) throw new Error(`article ${digest.article_url} is missing`);
    const topics = await this.k.catalog.topics();
    const topicNames = (JSON.parse(article.topics) as string[]).map((id) => {
      const topic = topics.find((x) => x.id === id);
      return topic ? this.k.catalog.topicName(topic, settings.language) : id;
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
      note: article.note ? (JSON.parse(article.note) as ArticleNote) : undefined,
    });
  }
}

/** The topics within an article's topics (given as its JSON list), kept per topic list: a fan-out asks for the same few. */
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

function nextStudyDay(date: string, studyDays: StudyDays): string {
  let day = time.addDays(date, 1);
  while (!studyDays.has(time.weekdayOf(day))) day = time.addDays(day, 1);
  return day;
}
