import { describe, expect, it } from "vitest";
import { acquireLease, releaseLease } from "../../src/store/leases.repository.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { dialects, migratedDatabase } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot, silentLog } from "../helpers/test-bot.ts";

describe.each(dialects)("exactly once (%s)", (dialect) => {
  it("retries a failing digest with growing pauses the same day, then marks the subscription failing", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    await chat.say("lead", "subscribe 08:00");
    await bot.settle();
    await db.deleteFrom("digests").execute();
    await db.deleteFrom("rounds").execute();
    chat.posts.length = 0;
    chat.failWith = new Error("service unavailable");
    const attemptsAt: string[] = [];
    for (let minute = 0; minute < 70; minute++) {
      const before = (await db.selectFrom("digests").select("attempts").executeTakeFirst())?.attempts ?? 0;
      await bot.runDueDigests();
      const after = (await db.selectFrom("digests").select("attempts").executeTakeFirst())?.attempts ?? 0;
      if (after > before) attemptsAt.push(clock.now().toISOString().slice(11, 16));
      clock.advance(60_000);
    }
    // 1, 2, 4, 8, 16 minutes apart: six attempts in just over an hour, then it stops.
    expect(attemptsAt).toEqual(["08:00", "08:01", "08:03", "08:07", "08:15", "08:31"]);
    expect(textOf(await chat.say("ana", "config"))).toContain("FAILING: gave up after 6 attempts: service unavailable");
    expect(chat.posts).toHaveLength(0);
  });

  it("edits a round's results once, and again after a crash left the edit undone", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz");
    const round = chat.rounds()[0];
    clock.advance(11 * 60_000);
    // The crash: closed and claimed, but the edit never reached the platform.
    await db.updateTable("rounds").set({ status: "closed", results_claimed_at: clock.now().toISOString() }).execute();
    await bot.closeDueRounds();
    expect(round?.edits).toHaveLength(0);
    clock.advance(3 * 60_000);
    await Promise.all([bot.closeDueRounds(), bot.closeDueRounds()]);
    expect(round?.edits).toHaveLength(1);
    await bot.closeDueRounds();
    expect(round?.edits).toHaveLength(1);
  });

  it("closes a round and edits its results once when two bots on one database race", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect });
    const other = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog });
    other.addAdapter(chat);
    await chat.say("ana", "quiz");
    clock.advance(11 * 60_000);
    await Promise.all([bot.closeDueRounds(), other.closeDueRounds(), bot.closeDueRounds(), other.closeDueRounds()]);
    expect(chat.rounds()[0]?.edits).toHaveLength(1);
  });

  it("hands a lease to one holder at a time, renews it for that holder, and lets another take it once expired", async () => {
    const db = await migratedDatabase(dialect);
    const t0 = new Date("2026-11-23T10:00:00Z");
    const later = (ms: number) => new Date(t0.getTime() + ms);
    expect(await acquireLease(db, "minute-job", "a", 60_000, t0)).toBe(true);
    expect(await acquireLease(db, "minute-job", "b", 60_000, later(1000))).toBe(false);
    expect(await acquireLease(db, "minute-job", "a", 60_000, later(30_000))).toBe(true);
    expect(await acquireLease(db, "minute-job", "b", 60_000, later(80_000))).toBe(false);
    expect(await acquireLease(db, "minute-job", "b", 60_000, later(91_000))).toBe(true);
    expect(await acquireLease(db, "minute-job", "a", 60_000, later(92_000))).toBe(false);
    await releaseLease(db, "minute-job", "b");
    expect(await acquireLease(db, "minute-job", "a", 60_000, later(93_000))).toBe(true);
    const racers = await Promise.all(["x", "y", "z"].map((h) => acquireLease(db, "race", h, 60_000, t0)));
    expect(racers.filter(Boolean)).toHaveLength(1);
  });
});
