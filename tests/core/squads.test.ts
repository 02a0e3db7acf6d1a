import { describe, expect, it } from "vitest";
import type { Block } from "../../src/core/message.ts";
import { boardCooldownMs } from "../../src/study-bot.ts";
import { dialects } from "../helpers/databases.ts";
import { GroupListingChat, textOf } from "../helpers/fake-chat.ts";
import { createTestBot, latestRoundAnswer } from "../helpers/test-bot.ts";

describe.each(dialects)("squads (%s)", (dialect) => {
  it("maps groups to squads and ranks them by points per active member, each with its streak", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    ctx.chat.groupsOf.set("a1", ["111"]);
    ctx.chat.groupsOf.set("a2", ["111", "999"]);
    ctx.chat.groupsOf.set("b1", ["222"]);
    expect(textOf(await ctx.chat.say("lead", "leaderboard squads"))).toContain("No squads yet");
    expect(textOf(await ctx.chat.say("a1", "config squad alpha <@&111>", {}, false))).toBe("⚠️ Only a workspace admin can do that.");
    expect(textOf(await ctx.chat.say("lead", "config squad alpha <@&111>"))).toBe("Squad alpha is now the group 111.");
    await ctx.chat.say("lead", "config squad beta <!subteam^222|@beta>");
    await ctx.chat.say("lead", "config squad gamma 333");

    // a1 and b1 each answer their own round right (first: +5); a2 answers wrong.
    for (const [user, channelId, right] of [
      ["a1", "C1", true],
      ["a2", "C1", false],
      ["b1", "C2", true],
    ] as const) {
      if (user !== "a2") await ctx.chat.say("host", "quiz net.tcp", { channelId });
      const answer = await latestRoundAnswer(ctx.db);
      await ctx.chat.press(user, String(right ? answer + 1 : ((answer + 1) % 4) + 1), { where: { channelId } });
      ctx.clock.advance(1000);
    }
    const [reply] = await ctx.chat.say("lead", "leaderboard squads");
    expect(reply?.visibility).toBe("public");
    const table = reply?.message.blocks.find((b): b is Extract<Block, { type: "table" }> => b.type === "table");
    const points = await ctx.db.selectFrom("answers").select(["member_id", "points"]).execute();
    const of = (user: string) => points.find((p) => p.member_id.endsWith(`:${user}`))?.points ?? 0;
    expect(table?.rows).toEqual([
      ["1", "beta", String(of("b1")), "1", "1"],
      ["2", "alpha", String((of("a1") + of("a2")) / 2), "2", "1"],
      ["3", "gamma", "0", "0", "0"],
    ]);
  });

  it("posts the squads board once per cooldown, and asks the platform for a group's members once per five minutes", async () => {
    const chat = new GroupListingChat("slack");
    chat.groups.set("G1", ["a1"]);
    chat.groups.set("G2", ["b1"]);
    chat.groups.set("G3", ["c1", "c2"]);
    const ctx = await createTestBot({ dialect, chat, now: "2026-11-23T10:00:00Z" });
    await ctx.chat.say("lead", "config squad alpha G1");
    await ctx.chat.say("lead", "config squad beta G2");
    expect((await ctx.chat.say("lead", "leaderboard squads"))[0]?.visibility).toBe("public");
    expect(chat.groupCalls).toEqual(["G1", "G2"]);
    ctx.clock.advance(20_000);
    const again = await ctx.chat.say("a1", "leaderboard squads");
    expect(again.map((r) => r.visibility)).toEqual(["private"]);
    expect(textOf(again)).toBe('"Squads: this week" was posted here 20 s ago: scroll up.');
    // The week's leaderboard is another board: the squads cooldown does not hold it back.
    expect((await ctx.chat.say("lead", "leaderboard"))[0]?.visibility).toBe("public");
    ctx.clock.advance(boardCooldownMs);
    expect((await ctx.chat.say("lead", "leaderboard squads"))[0]?.visibility).toBe("public");
    expect(chat.groupCalls).toEqual(["G1", "G2"]);
    // Remapped to another group, alpha counts that group's members at once.
    await ctx.chat.say("lead", "config squad alpha G3");
    ctx.clock.advance(boardCooldownMs);
    const [remapped] = await ctx.chat.say("lead", "leaderboard squads");
    const table = remapped?.message.blocks.find((b): b is Extract<Block, { type: "table" }> => b.type === "table");
    expect(table?.rows.map((row) => row[1])).toEqual(["alpha", "beta"]);
    expect(chat.groupCalls).toEqual(["G1", "G2", "G3"]);
    // More than five minutes after G2 was asked for, it is asked for again; G3, asked for later, is not.
    ctx.clock.set("2026-11-23T10:05:01Z");
    await ctx.chat.say("lead", "leaderboard squads");
    expect(chat.groupCalls).toEqual(["G1", "G2", "G3", "G2"]);
  });
});
