import { describe, expect, it } from "vitest";
import { parseStudyDays } from "../../src/core/study-days.ts";
import { isFirstStudyDayOfMonth } from "../../src/features/seasons/seasons.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { quizRound } from "../helpers/quiz-round.ts";
import { createTestBot, silentLog } from "../helpers/test-bot.ts";

type Ctx = Awaited<ReturnType<typeof createTestBot>>;

/** October: bo answers 5 and gets 1 right. November: ana 5 of 5 on five days in a row, bo 4 of 5, cy 1 of 1. */
async function twoSeasons(ctx: Ctx) {
  for (let day = 1; day <= 5; day++)
    await quizRound(ctx, `2026-10-${String(day + 4).padStart(2, "0")}T10:00:00Z`, [["bo", day === 1 ? "right" : "wrong"]]);
  for (let day = 2; day <= 6; day++) {
    await quizRound(ctx, `2026-11-${String(day).padStart(2, "0")}T10:00:00Z`, [
      ["ana", "right"],
      ["bo", day === 2 ? "wrong" : "right"],
      ...(day === 2 ? ([["cy", "right"]] as Array<[string, "right"]>) : []),
    ]);
  }
}

const standings = (ctx: Ctx) => ctx.chat.posts.filter((p) => p.key?.startsWith("season:"));

describe("the first study day of a month", () => {
  it("is the month's first day that is a study day", () => {
    const weekdays = parseStudyDays("mon-fri");
    if (!weekdays) throw new Error("no study days");
    expect(isFirstStudyDayOfMonth(weekdays, "2026-11-02")).toBe(true); // 1 November is a Sunday
    expect(isFirstStudyDayOfMonth(weekdays, "2026-11-01")).toBe(false);
    expect(isFirstStudyDayOfMonth(weekdays, "2026-11-03")).toBe(false);
    expect(isFirstStudyDayOfMonth(weekdays, "2026-12-01")).toBe(true);
  });
});

describe.each(dialects)("seasons (%s)", (dialect) => {
  it("posts last season's standings once per channel before the first digest of the month, and crowns the champion on every board", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-10-01T08:00:00Z" });
    await twoSeasons(ctx);
    ctx.clock.set("2026-11-30T08:00:00Z");
    await ctx.chat.say("lead", "subscribe 09:00", { channelId: "C1" });
    await ctx.chat.say("lead", "subscribe 09:00", { channelId: "C2" });
    await ctx.bot.settle();
    const before = ctx.chat.posts.length;

    ctx.clock.set("2026-12-01T09:00:00Z");
    await ctx.bot.runDueDigests();
    await ctx.bot.runDueDigests();
    const posted = ctx.chat.posts.slice(before);
    expect(
      standings(ctx)
        .map((p) => p.address.channelId)
        .sort(),
    ).toEqual(["C1", "C2"]);
    // Before the digest, in each channel.
    for (const channel of ["C1", "C2"]) {
      const kinds = posted.filter((p) => p.address.channelId === channel && p.key).map((p) => p.key?.split(":")[0]);
      expect(kinds).toEqual(["season", "digest"]);
    }
    const text = standings(ctx)[0]?.message.text ?? "";
    expect(text).toContain("Season November 2026: final standings");
    expect(text).toMatch(/1 \| ana \| \d+ \| 100%/);
    expect(text).toMatch(/2 \| bo \| \d+ \| 80%/);
    expect(text).toContain("Champion: 🏆 ana");
    expect(text).toContain("Most improved: bo: accuracy 20% → 80%");
    expect(text).toContain("Longest streak: ana: 5 study days in a row");
    expect(await ctx.db.selectFrom("seasons").select(["season", "champion_member_id", "role_status"]).execute()).toEqual([
      { season: "2026-11", champion_member_id: "console:T1:ana", role_status: "none" },
    ]);

    // All December, last season's champion wears the 🏆 on every board.
    const board = textOf(await ctx.chat.say("bo", "leaderboard season", { channelId: "C3" }));
    expect(board).toContain("Leaderboard: this season");
    const all = textOf(await ctx.chat.say("bo", "leaderboard all", { channelId: "C3" }));
    expect(all).toContain("🏆 ana");
    expect(all).not.toContain("🏆 bo");
  });

  it("two replicas at once post the standings once per channel", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-02T08:00:00Z" });
    await quizRound(ctx, "2026-11-02T10:00:00Z", [["ana", "right"]]);
    await ctx.chat.say("lead", "subscribe 09:00", { channelId: "C1" });
    await ctx.bot.settle();
    const other = new StudyBot({ db: ctx.db, clock: ctx.clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog });
    other.addAdapter(ctx.chat);
    ctx.clock.set("2026-12-01T09:00:00Z");
    await Promise.all([ctx.bot.runDueDigests(), other.runDueDigests(), ctx.bot.runDueDigests()]);
    expect(standings(ctx)).toHaveLength(1);
    expect(ctx.chat.digests()).toHaveLength(2);
  });

  it("a season nobody scored in gets no standings, and the default board stays the week's", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-30T08:00:00Z" });
    await ctx.chat.say("lead", "subscribe 09:00", { channelId: "C1" });
    ctx.clock.set("2026-12-01T09:00:00Z");
    await ctx.bot.runDueDigests();
    expect(standings(ctx)).toEqual([]);
    expect(await ctx.db.selectFrom("season_posts").select("message_ref").execute()).toEqual([{ message_ref: "" }]);
    expect(textOf(await ctx.chat.say("ana", "leaderboard"))).toContain("Leaderboard: this week");
  });
});
