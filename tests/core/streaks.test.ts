import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { addDays, localDateOf, startOfWeek, weekdayOf } from "../../src/core/local-time.ts";
import { defaultStudyDays, parseStudyDays } from "../../src/core/study-days.ts";
import { effectiveQuorum, personalStreak, teamStreak } from "../../src/features/standings/streaks.ts";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot } from "../helpers/test-bot.ts";

/** Study days (Mon-Fri) from a Monday: 2026-11-02 is a Monday. */
function weekdays(from: string, count: number): string[] {
  const days: string[] = [];
  for (let d = from; days.length < count; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(d);
  }
  return days;
}

describe("calendar dates", () => {
  it("add days across month, year and leap-day boundaries and name ISO weekdays", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-02-29", 1)).toBe("2024-03-01");
    expect(addDays("2025-12-31", 1)).toBe("2026-01-01");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2026-03-29", 7)).toBe("2026-04-05");
    expect(["2026-11-23", "2026-11-28", "2026-11-29"].map(weekdayOf)).toEqual([1, 6, 7]);
    expect(["2026-11-23", "2026-11-25", "2026-11-29", "2026-11-30"].map(startOfWeek)).toEqual([
      "2026-11-23",
      "2026-11-23",
      "2026-11-23",
      "2026-11-30",
    ]);
  });
});

describe("local dates", () => {
  it("match luxon's at every instant, across DST changes, midnight DST and odd offsets, in any order", () => {
    const zones = ["America/New_York", "America/Santiago", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "UTC"];
    // Around New York's and Santiago's 2026 changes, every 7 minutes, forward then backward, zones interleaved.
    const starts = ["2026-03-07T00:00:00Z", "2026-04-04T00:00:00Z", "2026-09-05T00:00:00Z", "2026-10-31T00:00:00Z"];
    const instants = starts.flatMap((start) => Array.from({ length: (3 * 24 * 60) / 7 }, (_, i) => Date.parse(start) + i * 7 * 60_000));
    let checked = 0;
    for (const ms of [...instants, ...[...instants].reverse()]) {
      for (const zone of zones) {
        expect(localDateOf(new Date(ms), zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20_000);
  });
});

describe("personal streak", () => {
  it("is not broken by a weekend when study days are Mon-Fri", () => {
    const active = new Set(["2026-11-05", "2026-11-06", "2026-11-09", "2026-11-10"]);
    expect(personalStreak(active, defaultStudyDays, "2026-11-10").current).toBe(4);
  });

  it("counts weekend activity toward nothing and breaks on nothing when the weekend is off", () => {
    const active = new Set(["2026-11-06", "2026-11-07", "2026-11-09"]);
    expect(personalStreak(active, defaultStudyDays, "2026-11-09").current).toBe(2);
  });

  it("leaves today open: not studying yet today does not break the streak", () => {
    const active = new Set(["2026-11-09", "2026-11-10"]);
    expect(personalStreak(active, defaultStudyDays, "2026-11-11").current).toBe(2);
  });

  it("earns a freeze per 5 consecutive active days, at most 2", () => {
    const days = weekdays("2026-11-02", 15);
    expect(personalStreak(new Set(days.slice(0, 4)), defaultStudyDays, days[3] as string).freezes).toBe(0);
    expect(personalStreak(new Set(days.slice(0, 5)), defaultStudyDays, days[4] as string).freezes).toBe(1);
    expect(personalStreak(new Set(days.slice(0, 10)), defaultStudyDays, days[9] as string).freezes).toBe(2);
    expect(personalStreak(new Set(days), defaultStudyDays, days[14] as string)).toEqual({ current: 15, longest: 15, freezes: 2 });
  });

  it("spends a freeze on a missed study day: the streak holds but does not grow", () => {
    const days = weekdays("2026-11-02", 7);
    const active = new Set([...days.slice(0, 5), days[6] as string]);
    expect(personalStreak(active, defaultStudyDays, days[6] as string)).toEqual({ current: 6, longest: 6, freezes: 0 });
  });

  it("resets to 0 after two missed study days with one freeze", () => {
    const days = weekdays("2026-11-02", 8);
    const active = new Set(days.slice(0, 5));
    expect(personalStreak(active, defaultStudyDays, days[6] as string).current).toBe(5);
    expect(personalStreak(active, defaultStudyDays, days[7] as string)).toEqual({ current: 0, longest: 5, freezes: 0 });
  });

  it("resets without a freeze on the first missed day", () => {
    const active = new Set(["2026-11-02", "2026-11-03"]);
    expect(personalStreak(active, defaultStudyDays, "2026-11-05").current).toBe(0);
  });

  it("follows custom study days such as mon,wed,fri", () => {
    const mwf = parseStudyDays("mon,wed,fri");
    if (!mwf) throw new Error("parse failed");
    const active = new Set(["2026-11-02", "2026-11-04", "2026-11-06"]);
    expect(personalStreak(active, mwf, "2026-11-06").current).toBe(3);
  });
});

describe("team streak", () => {
  it("counts study days on which at least the quorum was active, back from today", () => {
    const counts = new Map([
      ["2026-11-05", 3],
      ["2026-11-06", 2],
      ["2026-11-09", 1],
      ["2026-11-10", 2],
    ]);
    expect(teamStreak(counts, 2, defaultStudyDays, "2026-11-10")).toBe(1);
    expect(teamStreak(counts, 1, defaultStudyDays, "2026-11-10")).toBe(4);
    expect(teamStreak(counts, 2, defaultStudyDays, "2026-11-09")).toBe(2);
  });

  it("defaults the quorum to 2, or 1 in a one-member team", () => {
    expect(effectiveQuorum(null, 1)).toBe(1);
    expect(effectiveQuorum(null, 7)).toBe(2);
    expect(effectiveQuorum(4, 7)).toBe(4);
  });
});

describe.each(dialects)("streaks through the bot (%s)", (dialect) => {
  async function answerAt(ctx: Awaited<ReturnType<typeof createTestBot>>, iso: string, user: string) {
    ctx.clock.set(iso);
    await ctx.chat.say(user, "quiz", { channelId: iso });
    await ctx.chat.press(user, "1");
  }

  it("uses local dates across the DST change in America/New_York", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-03-05T12:00:00Z", timezone: "America/New_York" });
    // 2026-03-08 is the spring-forward Sunday. 23:30 local on Fri 6 Mar is 04:30Z on the 7th (EST, UTC-5);
    // 23:30 local on Mon 9 Mar is 03:30Z on the 10th (EDT, UTC-4).
    await answerAt(ctx, "2026-03-07T04:30:00Z", "ana");
    await answerAt(ctx, "2026-03-10T03:30:00Z", "ana");
    const dates = await ctx.db.selectFrom("activity").select("local_date").orderBy("local_date").execute();
    expect(dates.map((d) => d.local_date)).toEqual(["2026-03-06", "2026-03-09"]);
    ctx.clock.set("2026-03-10T14:00:00Z");
    expect(textOf(await ctx.chat.say("ana", "streak"))).toContain("Personal streak: 2 study days");
  });

  it("shows another member's streak by name or mention, and the team streak with its quorum", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    await answerAt(ctx, "2026-11-23T10:00:00Z", "ana");
    await answerAt(ctx, "2026-11-23T10:05:00Z", "bob");
    await answerAt(ctx, "2026-11-24T10:00:00Z", "ana");
    const byName = textOf(await ctx.chat.say("bob", "streak ana"));
    expect(byName).toContain("Streak: ana");
    expect(byName).toContain("Personal streak: 2 study days");
    expect(byName).toContain("Team streak: 1 study day (a day counts when 2 members are active)");
    expect(textOf(await ctx.chat.say("bob", "streak <@ana|Ana>"))).toContain("Streak: ana");
    expect(textOf(await ctx.chat.say("bob", "streak nobody"))).toContain('No member "nobody"');
  });
});
