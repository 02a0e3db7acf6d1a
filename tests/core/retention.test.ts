import { describe, expect, it } from "vitest";
import { retentionBatch } from "../../src/features/retention/retention.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot, latestRoundAnswer, silentLog } from "../helpers/test-bot.ts";

type Db = Awaited<ReturnType<typeof createTestBot>>["db"];

const count = async (db: Db, table: "answers" | "reads" | "lifelines" | "scores" | "activity", roundId?: string) => {
  let query = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"));
  if (roundId) query = query.where("round_id" as never, "=", roundId as never);
  return Number((await query.executeTakeFirstOrThrow()).n);
};

const latestRoundId = async (db: Db) =>
  (await db.selectFrom("rounds").select("id").orderBy("opened_at", "desc").executeTakeFirstOrThrow()).id;

describe.each(dialects)("retention (%s)", (dialect) => {
  it("checks the setting: a whole number of days from 7 to 3650, or forever; admins only; /study config lists it", async () => {
    const { chat, db } = await createTestBot({ dialect });
    expect(textOf(await chat.say("ana", "config"))).toContain("retention: forever");
    for (const bad of ["6", "3651", "7.5", "30d", "-7", "never"]) {
      expect(textOf(await chat.say("ana", `config retention ${bad}`))).toBe(
        `⚠️ "${bad}" is not a retention: use a whole number of days from 7 to 3650, or forever.\nUsage: /study config [key value]`,
      );
    }
    expect(textOf(await chat.say("bo", "config retention 30", {}, false))).toBe("⚠️ Only a workspace admin can do that.");
    expect(await db.selectFrom("workspaces").select("retention_days").execute()).toEqual([{ retention_days: null }]);
    expect(textOf(await chat.say("ana", "config retention 30"))).toBe("retention is now 30 days.");
    expect(textOf(await chat.say("ana", "config"))).toContain("retention: 30 days");
    expect(textOf(await chat.say("ana", "config retention Forever"))).toBe("retention is now forever.");
    expect(await db.selectFrom("workspaces").select("retention_days").execute()).toEqual([{ retention_days: null }]);
    await chat.say("ana", "config language zh");
    expect(textOf(await chat.say("ana", "config retention 5"))).toContain("“5”不是有效的保留期：请用 7 到 3650 的整数天数");
    expect(textOf(await chat.say("ana", "config retention 90"))).toBe("retention 已设为 90 天。");
  });

  it("deletes answers, reads and 50/50s from before the last <days> local days in batches; scores, boards and open rounds stay", async () => {
    // Monday 2 November: a round 600 members answer, a 50/50, reads of the digest; a round left open in another channel.
    const { chat, db, clock, bot } = await createTestBot({ dialect, now: "2026-11-02T10:00:00Z" });
    await chat.say("ana", "subscribe 09:00");
    await bot.settle();
    for (const who of ["m0", "m1", "m2"]) await chat.press(who, "r");
    clock.advance(60_000);
    await chat.say("ana", "quiz net.tcp");
    const old = await latestRoundId(db);
    const answer = await latestRoundAnswer(db);
    await chat.press("m0", "h");
    const members = Array.from({ length: retentionBatch + 100 }, (_, i) => `m${i}`);
    await Promise.all(members.map((who, i) => chat.press(who, String(((answer + (i % 3)) % 4) + 1))));
    clock.advance(1000);
    await chat.say("ana", "quiz net.tcp", { channelId: "C9" });
    const stillOpen = await latestRoundId(db);
    await chat.press("m1", "1", { where: { channelId: "C9" } });
    clock.advance(11 * 60_000);
    await bot.closeRound(old);
    // Tuesday 3 November: one answer.
    clock.set("2026-11-03T10:00:00Z");
    await chat.say("ana", "quiz net.tcp");
    const cutoffDay = await latestRoundId(db);
    await chat.press("m2", String((await latestRoundAnswer(db)) + 1));
    clock.advance(11 * 60_000);
    await bot.closeRound(cutoffDay);
    await bot.settle();

    // Tuesday 10 November: with 7 days kept, everything dated before 3 November is past.
    clock.set("2026-11-10T12:00:00Z");
    // Members who answered at the same instant tie on everything a board orders by, and PostgreSQL may list ties in
    // any order: the boards are compared as their rows without the rank.
    const unranked = (board: string) =>
      board
        .split("\n")
        .map((line) => line.replace(/^\d+ \| /, ""))
        .sort();
    const boards = async () => [
      ...unranked(textOf(await chat.say("ana", "leaderboard month"))),
      ...unranked(textOf(await chat.say("ana", "leaderboard all"))),
      textOf(await chat.say("m0", "streak", {}, false)),
    ];
    const scoresBefore = await db.selectFrom("scores").selectAll().orderBy("member_id").orderBy("period").orderBy("starts_on").execute();
    const boardsBefore = await boards();
    const activityBefore = await count(db, "activity");
    expect(boardsBefore.join("\n")).toMatch(/\bm0\b/);
    expect(await bot.deleteExpiredAnswers()).toBe(0);
    expect(await count(db, "answers", old)).toBe(members.length);

    await chat.say("ana", "config retention 7");
    expect(await bot.deleteExpiredAnswers()).toBe(retentionBatch + 3 + 1);
    expect(await count(db, "answers", old)).toBe(100);
    expect(await count(db, "reads")).toBe(0);
    expect(await count(db, "lifelines")).toBe(0);
    expect(await bot.deleteExpiredAnswers()).toBe(100);
    expect(await count(db, "answers", old)).toBe(0);
    expect(await bot.deleteExpiredAnswers()).toBe(0);
    // The cut-off day's answer stays; the open round's answer stays, however old.
    expect(await count(db, "answers", cutoffDay)).toBe(1);
    expect(await count(db, "answers", stillOpen)).toBe(1);
    expect(await db.selectFrom("scores").selectAll().orderBy("member_id").orderBy("period").orderBy("starts_on").execute()).toEqual(
      scoresBefore,
    );
    // Past the boards' once-a-minute cooldown, so they are posted again rather than pointed to.
    clock.advance(61_000);
    expect(await boards()).toEqual(boardsBefore);

    // A day later the cut-off moves past 3 November, and the minute job (here one scheduler pass) takes that answer too.
    clock.set("2026-11-11T12:00:00Z");
    await new Scheduler(bot, db, clock, silentLog).tick();
    expect(await count(db, "answers", cutoffDay)).toBe(0);
    expect(await count(db, "activity")).toBe(activityBefore);
  });
});
