import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seedDatabase } from "../../src/content/seed.ts";
import { PermanentDeliveryError } from "../../src/core/ports.ts";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { dialects, freshDatabaseUrl } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { createTestBot, type fixtureDb, fixtureSeeds, silentLog } from "../helpers/test-bot.ts";

const day = 86_400_000;

async function addArticles(db: Awaited<ReturnType<typeof fixtureDb>>, count: number) {
  await db.deleteFrom("articles").execute();
  for (let i = 0; i < count; i++) {
    await db
      .insertInto("articles")
      .values({
        url: `https://example.test/article-${i}`,
        zh_title: `文章 ${i}`,
        en_title: `Article ${i}`,
        published: "2010-01-01",
        zh_url: `https://example.test/zh/${i}`,
        topics: JSON.stringify(["net"]),
        content_hash: "x",
        retired: 0,
      })
      .execute();
  }
}

describe.each(dialects)("daily digest (%s)", (dialect) => {
  it("walks all 218 articles without a repeat before any article comes back", async () => {
    const clock = new ManualClock("2026-11-23T12:00:00Z");
    const { bot, chat, db } = await createTestBot({ dialect, clock });
    await addArticles(db, 218);
    await chat.say("lead", "config study-days every-day");
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    for (let i = 1; i < 219; i++) {
      clock.advance(day);
      await bot.runDueDigests();
    }
    const urls = (await db.selectFrom("digests").select(["article_url", "local_date"]).orderBy("local_date").execute()).map(
      (r) => r.article_url,
    );
    expect(urls).toHaveLength(219);
    expect(new Set(urls.slice(0, 218)).size).toBe(218);
    expect(urls.slice(0, 218)).toContain(urls[218]);
    expect(chat.digests()).toHaveLength(219);
  });

  it("keeps each channel's order fixed: a second bot on the same data picks what the first would have", async () => {
    const clock = new ManualClock("2026-11-23T12:00:00Z");
    const { chat } = await createTestBot({ dialect, clock });
    const shown = textOf(await chat.say("ana", "digest"));
    const other = await createTestBot({ dialect, clock });
    expect(textOf(await other.chat.say("ana", "digest"))).toBe(shown);
  });

  it("posts once per channel and local date when two passes (or two bots on one database) race", async () => {
    const clock = new ManualClock("2026-11-23T12:00:00Z");
    const dir = mkdtempSync(join(tmpdir(), "study-bot-race-"));
    const url = await freshDatabaseUrl(dialect, join(dir, "race.sqlite"));
    const db = openDatabase(url);
    await migrateToLatest(db);
    await seedDatabase(db, clock.now(), { dir: fixtureSeeds });
    const first = await createTestBot({ dialect, clock, db });
    const secondDb = openDatabase(url);
    const second = new StudyBot({ db: secondDb, clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog });
    second.addAdapter(first.chat);
    await first.chat.say("lead", "subscribe 09:00");
    await first.bot.settle();
    await Promise.all([first.bot.runDueDigests(), first.bot.runDueDigests(), second.runDueDigests(), second.runDueDigests()]);
    expect(first.chat.digests()).toHaveLength(1);
    clock.advance(60_000);
    await Promise.all([first.bot.runDueDigests(), second.runDueDigests()]);
    expect(first.chat.digests()).toHaveLength(1);
    await Promise.all([secondDb.destroy(), db.destroy()]);
  });

  it("shows today's article on /study digest privately, and the scheduled post is that same article", async () => {
    const { chat, bot } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    const replies = await chat.say("ana", "digest");
    expect(replies[0]?.visibility).toBe("private");
    expect(chat.posts).toHaveLength(0);
    const title = textOf(replies).split("\n")[1];
    expect(textOf(replies)).toMatch(/Original: http:\/\/highscalability.com/);
    expect(textOf(replies)).toMatch(/中文翻译: https:\/\/github.com\/apachecn/);
    await chat.say("lead", "subscribe 07:30");
    await bot.settle();
    expect(chat.digests()).toHaveLength(1);
    expect(chat.digests()[0]?.message.text).toContain(title);
  });

  it("on a non-study day shows the most recent study day's article and posts nothing", async () => {
    const { chat, bot, clock } = await createTestBot({ dialect, now: "2026-11-27T10:00:00Z" });
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    const friday = chat.digests()[0]?.message.text.split("\n")[1];
    clock.set("2026-11-28T10:00:00Z");
    await bot.runDueDigests();
    const saturday = textOf(await chat.say("ana", "digest"));
    expect(saturday).toContain("Architecture article for 2026-11-27");
    expect(saturday).toContain(friday);
    expect(chat.digests()).toHaveLength(1);
  });

  it("posts the article with both titles, year, topics, links, a Mark-as-read button and a question of the day tied to it", async () => {
    const { chat, bot, db } = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    const [post] = chat.digests();
    expect(post?.message.text).toMatch(/^Today's architecture article\n.+\n.+\n[\s\S]*\nTopics: .+\nPublished: 20\d\d\n/);
    expect(post?.message.blocks.some((b) => b.type === "buttons" && b.buttons[0]?.label === "Mark as read")).toBe(true);
    const round = await db.selectFrom("rounds").selectAll().executeTakeFirstOrThrow();
    expect(round.kind).toBe("daily");
    expect(round.closes_at).toBe("2026-11-24T00:00:00.000Z");
    const digest = await db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    expect(digest.round_id).toBe(round.id);
    const article = await db.selectFrom("articles").select("topics").where("url", "=", digest.article_url).executeTakeFirstOrThrow();
    const question = await db.selectFrom("questions").selectAll().where("id", "=", round.question_id).executeTakeFirstOrThrow();
    const tied =
      question.source_ref === digest.article_url || JSON.parse(article.topics).some((t: string) => question.topic_id.startsWith(t));
    expect(tied).toBe(true);
  });

  it("gives +2 points for Mark as read once per member and day", async () => {
    const { chat, bot, db } = await createTestBot({ dialect });
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    const post = chat.digests()[0];
    expect(textOf(await chat.press("ana", "r", { post }))).toContain("+2 points");
    expect(textOf(await chat.press("ana", "r", { post }))).toContain("already marked");
    expect(await db.selectFrom("reads").select("points").execute()).toEqual([{ points: 2 }]);
    expect(await db.selectFrom("activity").selectAll().execute()).toHaveLength(1);
  });

  it("catches up the same day after downtime but never back-fills a day that ended", async () => {
    const { chat, bot, clock } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    expect(chat.digests()).toHaveLength(0);
    clock.set("2026-11-24T15:00:00Z");
    await bot.runDueDigests();
    const dates = chat.digests().map((p) => p.key);
    expect(dates).toHaveLength(1);
    expect(chat.digests()[0]?.message.text).toContain("Today's architecture article");
  });

  it("marks a subscription failing with the reason when the platform refuses for good, and config shows it", async () => {
    const { chat, bot } = await createTestBot({ dialect });
    chat.failWith = new PermanentDeliveryError("channel_not_found");
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    expect(textOf(await chat.say("ana", "config"))).toContain("FAILING: channel_not_found");
    chat.failWith = undefined;
    await bot.runDueDigests();
    expect(chat.digests()).toHaveLength(0);
  });

  it("retries later the same day after a passing failure", async () => {
    const { chat, bot, clock } = await createTestBot({ dialect });
    chat.failWith = new Error("timeout");
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    chat.failWith = undefined;
    clock.advance(60_000);
    await bot.runDueDigests();
    expect(chat.digests()).toHaveLength(1);
  });

  it("skips non-study days and uses the workspace's timezone for 'due'", async () => {
    const { chat, bot, clock } = await createTestBot({ dialect, now: "2026-11-22T23:30:00Z" });
    await chat.say("lead", "config timezone Asia/Shanghai");
    await chat.say("lead", "subscribe 07:00");
    await bot.settle();
    // 07:30 Monday in Shanghai is 23:30 Sunday UTC.
    expect(chat.digests()).toHaveLength(1);
    clock.set("2026-11-28T02:00:00Z");
    await bot.runDueDigests();
    expect(chat.digests()).toHaveLength(1);
  });

  it("after a crash between the post and the commit, finds the posted digest instead of posting again", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    clock.set("2026-11-23T09:00:00Z");
    // What a crash leaves: the claim committed, the message on the platform, no confirmation.
    await chat.say("ana", "digest");
    const digest = await db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    await db.updateTable("digests").set({ status: "claimed", claimed_at: clock.now().toISOString() }).execute();
    await chat.post(
      { platform: "console", workspaceId: "T1", channelId: "C1" },
      { text: "digest", blocks: [] },
      { key: `digest:${digest.id}` },
    );
    await bot.runDueDigests();
    expect(chat.digests()).toHaveLength(1);
    clock.advance(3 * 60_000);
    await bot.runDueDigests();
    expect(chat.digests()).toHaveLength(1);
    const confirmed = await db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    expect(confirmed.status).toBe("posted");
    expect(confirmed.message_ref).toBe(chat.digests()[0]?.ref);
    expect(confirmed.round_id).not.toBeNull();
  });

  it("re-posts a stale claim the platform never received, once", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await chat.say("lead", "subscribe 09:00");
    await bot.settle();
    clock.set("2026-11-23T09:00:00Z");
    await chat.say("ana", "digest");
    await db.updateTable("digests").set({ status: "claimed", claimed_at: clock.now().toISOString() }).execute();
    clock.advance(3 * 60_000);
    await Promise.all([bot.runDueDigests(), bot.runDueDigests()]);
    expect(chat.digests()).toHaveLength(1);
  });
});
