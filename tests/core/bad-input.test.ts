import { describe, expect, it } from "vitest";
import type { Db } from "../../src/store/database.ts";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot } from "../helpers/test-bot.ts";

const tables = ["workspaces", "members", "channels", "subscriptions", "rounds", "answers", "reads", "activity", "digests"] as const;

async function snapshot(db: Db): Promise<string> {
  const all: Record<string, unknown[]> = {};
  for (const table of tables) all[table] = await db.selectFrom(table).selectAll().execute();
  return JSON.stringify(all);
}

describe.each(dialects)("bad input (%s)", (dialect) => {
  const cases: Array<[string, RegExp, string | undefined]> = [
    ["frobnicate", /Unknown command "frobnicate"\. Try \/study help\./, "/study help"],
    ["config timezone", /Give a value for timezone\./, "/study config [key value]"],
    ["config colour blue", /Unknown setting "colour"/, "/study config [key value]"],
    ["subscribe 25:99", /"25:99" is not a time: use HH:MM/, "/study subscribe [HH:MM]"],
    ["subscribe 9am", /"9am" is not a time/, "/study subscribe [HH:MM]"],
    ["config timezone Mars/Base", /"Mars\/Base" is not an IANA timezone/, "/study config [key value]"],
    ["config study-days someday", /"someday" is not a set of days/, "/study config [key value]"],
    ["config quiz-duration 5s", /"5s" is not a duration from 10s to 24h/, "/study config [key value]"],
    ["config quiz-duration 25h", /"25h" is not a duration/, "/study config [key value]"],
    ["config team-quorum 0", /"0" is not a quorum/, "/study config [key value]"],
    ["config language fr", /"fr" is not a language/, "/study config [key value]"],
    ["quiz kubernetes-operators", /No topic matches "kubernetes-operators"/, "/study quiz [topic]"],
    ["leaderboard year", /"year" is not a window/, "/study leaderboard [week|month|season|all|squads]"],
    ["leaderboard week month", /Too many arguments\./, "/study leaderboard [week|month|season|all|squads]"],
    ["digest now", /Too many arguments\./, "/study digest"],
    ["streak ghost", /No member "ghost"/, "/study streak [member]"],
    // A huge argument is refused without being echoed back whole.
    [`quiz ${"k".repeat(5000)}`, /"k{20}…" is too long: a word here has at most 100 characters\.$/, undefined],
  ];

  it.each(cases)("/study %s gets a one-line message plus usage and changes nothing", async (text, message, usage) => {
    const { chat, bot, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz");
    await chat.press("ana", "1");
    // What the set-up left for the background (the member's last channel) is written before the snapshot.
    await bot.settle();
    const before = await snapshot(db);
    const replies = await chat.say("ana", text);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.visibility).toBe("private");
    const lines = textOf(replies).split("\n");
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toBe(usage ? `Usage: ${usage}` : undefined);
    expect(await snapshot(db)).toBe(before);
  });

  it("refuses admin commands to non-admins and changes nothing", async () => {
    const { chat, bot, db } = await createTestBot({ dialect });
    await chat.say("ana", "config");
    await bot.settle();
    const before = await snapshot(db);
    for (const text of ["subscribe 09:00", "unsubscribe", "config timezone Asia/Shanghai"]) {
      expect(textOf(await chat.say("ana", text, {}, false))).toBe("⚠️ Only a workspace admin can do that.");
    }
    expect(await snapshot(db)).toBe(before);
    expect(textOf(await chat.say("ana", "config"))).toContain("timezone: UTC");
  });

  it("answers a click on a closed round or a second click privately, changing nothing", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz");
    const round = chat.rounds()[0];
    await chat.press("ana", "2", { post: round });
    await bot.settle();
    const before = await snapshot(db);
    expect(textOf(await chat.press("ana", "3", { post: round }))).toContain("You already answered this one (B.");
    expect(await snapshot(db)).toBe(before);
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    const closed = await snapshot(db);
    expect(textOf(await chat.press("bob", "1", { post: round }))).toContain("This quiz is closed");
    expect(await snapshot(db)).toBe(closed);
  });

  it("lets admins set every config key, shown verbatim and in canonical form", async () => {
    const { chat } = await createTestBot({ dialect });
    await chat.say("lead", "config timezone America/Argentina/Buenos_Aires");
    await chat.say("lead", "config study-days mon, wed,fri");
    await chat.say("lead", "config quiz-duration 90s");
    await chat.say("lead", "config team-quorum 3");
    const shown = textOf(await chat.say("ana", "config"));
    expect(shown).toContain("timezone: America/Argentina/Buenos_Aires");
    expect(shown).toContain("study-days: mon,wed,fri");
    expect(shown).toContain("quiz-duration: 90s");
    expect(shown).toContain("team-quorum: 3");
    expect(textOf(await chat.say("lead", "config language zh"))).toBe("language 已设为 zh。");
    expect(textOf(await chat.say("ana", "help"))).toContain("每个学习日");
  });

  it("shows help for /study alone and for /study help", async () => {
    const { chat } = await createTestBot({ dialect });
    for (const text of ["", "help", "  HELP "]) {
      const help = textOf(await chat.say("ana", text));
      for (const usage of [
        "/study digest",
        "/study quiz [topic]",
        "/study leaderboard [week|month|season|all|squads]",
        "/study config [key value]",
      ]) {
        expect(help).toContain(usage);
      }
    }
  });
});
