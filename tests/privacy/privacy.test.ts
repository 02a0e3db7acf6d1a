import { describe, expect, it } from "vitest";
import type { Block, Reply } from "../../src/core/message.ts";
import { DashboardLinks } from "../../src/features/dashboard/links.ts";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { quizRound } from "../helpers/quiz-round.ts";
import { sampleSubmission } from "../helpers/sample-submission.ts";
import { createTestBot } from "../helpers/test-bot.ts";

type Ctx = Awaited<ReturnType<typeof createTestBot>>;

const named = (name: string) => new RegExp(`\\b${name}\\b`);

/** The names column of the table a reply posted. */
function boardNames(replies: Reply[]): string[] {
  const table = replies[0]?.message.blocks.find((b): b is Extract<Block, { type: "table" }> => b.type === "table");
  return (table?.rows ?? []).map((row) => row[1] ?? "");
}

const hiddenFlag = async (ctx: Ctx, user: string) =>
  (await ctx.db.selectFrom("members").select("hidden").where("id", "=", `console:T1:${user}`).executeTakeFirst())?.hidden;

describe.each(dialects)("/study privacy (%s)", (dialect) => {
  it("a hidden member is 'a member' on the boards and round results, counts for the team streak, sees their own numbers; show brings the name back", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T08:00:00Z" });
    const status = textOf(await ctx.chat.say("ana", "privacy", {}, false));
    expect(status).toContain("You are shown by name");
    expect(status).toContain("/study privacy hide");
    expect(status).not.toContain("Hidden members");
    expect(textOf(await ctx.chat.say("ana", "privacy hide", {}, false))).toContain('public posts show you as "a member"');
    expect(textOf(await ctx.chat.say("ana", "privacy HIDE", {}, false))).toBe("You are already hidden: nothing changed.");
    expect(textOf(await ctx.chat.say("ana", "privacy", {}, false))).toContain("You are hidden");

    const round = await quizRound(ctx, "2026-11-23T10:00:00Z", [
      ["ana", "right"],
      ["bo", "right"],
      ["cy", "wrong"],
    ]);
    ctx.clock.advance(11 * 60_000);
    await ctx.bot.closeDueRounds();
    const results = round?.edits.at(-1)?.text ?? "";
    expect(results).toContain("Right (fastest first): a member, bo");
    expect(results).not.toMatch(named("ana"));

    for (const [window, channelId] of [
      ["week", "B1"],
      ["all", "B2"],
    ]) {
      const board = await ctx.chat.say("bo", `leaderboard ${window}`, { channelId }, false);
      expect(board[0]?.visibility).toBe("public");
      expect(boardNames(board)).toEqual(["a member", "bo", "cy"]);
      expect(textOf(board)).not.toMatch(named("ana"));
    }

    // Two members were active today (quorum 2), one of them hidden: the team's day counts.
    expect(textOf(await ctx.chat.say("bo", "streak", {}, false))).toContain("Team streak: 1 study day");
    const own = textOf(await ctx.chat.say("ana", "streak", {}, false));
    expect(own).toContain("Streak: ana");
    expect(own).toContain("Personal streak: 1 study day");
    const home = textOf(await ctx.chat.say("ana", "me", {}, false));
    expect(home).toContain("ana: your study home");
    expect(home).toContain("#1 of 3");
    expect(textOf(await ctx.chat.say("bo", "streak ana", {}, false))).toBe("ana keeps their numbers to themselves (/study privacy hide).");

    expect(textOf(await ctx.chat.say("lead", "privacy"))).toContain("Hidden members (admins see this): ana.");
    expect(textOf(await ctx.chat.say("bo", "privacy", {}, false))).not.toContain("Hidden members");

    expect(textOf(await ctx.chat.say("ana", "privacy show", {}, false))).toBe("Done: public posts show your name again.");
    expect(boardNames(await ctx.chat.say("bo", "leaderboard", { channelId: "B3" }, false))).toEqual(["ana", "bo", "cy"]);
    expect(textOf(await ctx.chat.say("lead", "privacy"))).toContain("Hidden members (admins see this): none.");
  });

  it("bad input gets a specific message with the usage and changes nothing, in the workspace's language", async () => {
    const ctx = await createTestBot({ dialect });
    expect(textOf(await ctx.chat.say("ana", "privacy maybe", {}, false))).toBe(
      '⚠️ "maybe" is not a privacy setting: use hide or show (or nothing, to see yours).\nUsage: /study privacy [hide|show]',
    );
    expect(await hiddenFlag(ctx, "ana")).toBeUndefined();
    await ctx.chat.say("ana", "privacy hide", {}, false);
    expect(textOf(await ctx.chat.say("ana", "privacy hide now", {}, false))).toContain("Too many arguments.");
    expect(await hiddenFlag(ctx, "ana")).toBe(1);

    await ctx.chat.say("lead", "config language zh");
    expect(textOf(await ctx.chat.say("ana", "privacy maybe", {}, false))).toContain("“maybe”不是隐私设置");
    expect(await hiddenFlag(ctx, "ana")).toBe(1);
    await quizRound(ctx, "2026-11-23T10:00:00Z", [["ana", "right"]]);
    expect(boardNames(await ctx.chat.say("bo", "leaderboard", { channelId: "B1" }, false))).toEqual(["一位成员"]);
  });

  it("the weekly recap names a hidden member 'a member' in the top 5 and the longest streaks", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-16T08:00:00Z" });
    await ctx.chat.say("lead", "subscribe 09:00");
    await ctx.chat.say("ana", "privacy hide", {}, false);
    for (let day = 16; day <= 20; day++) {
      await quizRound(ctx, `2026-11-${day}T10:00:00Z`, [
        ["ana", "right"],
        ...(day === 16 ? ([["bo", "wrong"]] as Array<[string, "wrong"]>) : []),
      ]);
    }
    ctx.clock.set("2026-11-23T09:00:00Z");
    await ctx.bot.runDueDigests();
    const recap = ctx.chat.posts.find((p) => p.key?.startsWith("recap:"))?.message.text ?? "";
    expect(recap).toMatch(/1 \| a member \| \d+ \| \d+%\n2 \| bo \| 0 \| 0%/);
    expect(recap).toMatch(/Longest streaks: a member [1-9]/);
    expect(recap).not.toMatch(named("ana"));
  });

  it("season standings crown a hidden champion as 'a member', who wears the 🏆 anonymously all next season", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-02T08:00:00Z" });
    await ctx.chat.say("ana", "privacy hide", {}, false);
    for (const day of ["02", "03"]) {
      await quizRound(ctx, `2026-11-${day}T10:00:00Z`, [
        ["ana", "right"],
        ["bo", "wrong"],
      ]);
    }
    ctx.clock.set("2026-11-30T08:00:00Z");
    await ctx.chat.say("lead", "subscribe 09:00");
    ctx.clock.set("2026-12-01T09:00:00Z");
    await ctx.bot.runDueDigests();
    const standings = ctx.chat.posts.find((p) => p.key?.startsWith("season:"))?.message.text ?? "";
    expect(standings).toMatch(/1 \| a member \| \d+ \| 100%/);
    expect(standings).toContain("Champion: 🏆 a member");
    expect(standings).toContain("Longest streak: a member: 2 study days in a row");
    expect(standings).not.toMatch(named("ana"));
    expect(boardNames(await ctx.chat.say("bo", "leaderboard all", { channelId: "B1" }, false))).toEqual(["🏆 a member", "bo"]);
  });

  it("a hidden member still counts in their squad's points, active members and streak", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    ctx.chat.groupsOf.set("ana", ["111"]);
    ctx.chat.groupsOf.set("bo", ["111"]);
    await ctx.chat.say("lead", "config squad alpha <@&111>");
    await ctx.chat.say("ana", "privacy hide", {}, false);
    await quizRound(ctx, "2026-11-23T10:00:00Z", [
      ["ana", "right"],
      ["bo", "right"],
    ]);
    const points = await ctx.db.selectFrom("answers").select("points").execute();
    const total = points.reduce((sum, row) => sum + row.points, 0);
    const [reply] = await ctx.chat.say("bo", "leaderboard squads", {}, false);
    const table = reply?.message.blocks.find((b): b is Extract<Block, { type: "table" }> => b.type === "table");
    expect(table?.rows).toEqual([["1", "alpha", String(total / 2), "2", "1"]]);
  });

  it("the dashboard's team page shows a hidden member as 'a member' without their id, except to themselves; the admin page lists them", async () => {
    const links = new DashboardLinks("http://dashboard.test", "a-dashboard-secret-of-at-least-32-chars");
    const ctx = await createTestBot({ dialect, dashboard: links });
    await ctx.chat.say("ana", "privacy hide", {}, false);
    await quizRound(ctx, "2026-11-23T10:00:00Z", [
      ["ana", "right"],
      ["bo", "right"],
    ]);
    const routes = ctx.bot.dashboardRoutes();
    if (!routes) throw new Error("the dashboard is off");
    const page = async (member: string, path: string, admin = false) => {
      const url = links.linkFor({ workspaceId: "console:T1", memberId: `console:T1:${member}`, admin }, ctx.clock.now());
      return (await routes.request(`${url}/${path}`)).text();
    };
    const names = (html: string) =>
      [...html.matchAll(/<tr data-member="([^"]*)"><td>\d+<\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);

    const seenByBo = await page("bo", "team");
    expect(names(seenByBo)).toEqual([
      ["", "a member"],
      ["console:T1:bo", "bo"],
    ]);
    expect(seenByBo).not.toMatch(named("ana"));
    expect(names(await page("ana", "team"))).toEqual([
      ["console:T1:ana", "ana"],
      ["console:T1:bo", "bo"],
    ]);
    expect(await page("ana", "me")).toContain("This week: #1");
    expect(await page("lead", "admin", true)).toContain('<p id="hidden-members">Hidden members (admins see this): ana.</p>');
  });

  it("an approved question by a hidden author credits 'a member'", async () => {
    const ctx = await createTestBot({ dialect });
    const T1 = { workspaceId: "T1", channelId: "C1" };
    await ctx.chat.say("lead", "config review-channel <#REVIEWS|reviews>", T1);
    await ctx.chat.say("ana", "privacy hide", T1, false);
    const form = (await ctx.chat.say("ana", "submit", T1, false)).find((r) => r.form)?.form;
    if (!form) throw new Error("no form");
    await ctx.chat.submitForm("ana", form, sampleSubmission, T1);
    const review = ctx.chat.posts.filter((p) => p.address.channelId === "REVIEWS").at(-1);
    const approve = review?.message.blocks
      .flatMap((b) => (b.type === "buttons" ? b.buttons : []))
      .find((b) => b.action === "submission-approve");
    if (!approve) throw new Error("no approve button");
    await ctx.chat.pressButton("lead", approve, { workspaceId: "T1", channelId: "REVIEWS" }, true);
    await ctx.chat.say("bo", "quiz payments", T1);
    const feedback = textOf(await ctx.chat.press("bo", "2", { post: ctx.chat.rounds().at(-1), where: T1 }));
    expect(feedback).toContain("Submitted by a member");
    expect(feedback).not.toMatch(named("ana"));
  });
});
