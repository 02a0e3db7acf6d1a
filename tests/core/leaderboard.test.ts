import { describe, expect, it } from "vitest";
import type { Block } from "../../src/core/message.ts";
import { boardCooldownMs } from "../../src/study-bot.ts";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { createTestBot, latestRoundAnswer } from "../helpers/test-bot.ts";

type Ctx = Awaited<ReturnType<typeof createTestBot>>;

/** Opens a round in a fresh channel at `iso` and has each member press a key (1-4). */
async function round(ctx: Ctx, iso: string, presses: Array<[string, "right" | "wrong"]>, workspaceId = "T1") {
  ctx.clock.set(iso);
  const channelId = `C-${iso}`;
  await ctx.chat.say("host", "quiz", { channelId, workspaceId });
  const post = ctx.chat.rounds().at(-1);
  const answer = await latestRoundAnswer(ctx.db);
  for (const [user, verdict] of presses) {
    ctx.clock.advance(1000);
    await ctx.chat.press(user, String(verdict === "right" ? answer + 1 : ((answer + 1) % 4) + 1), { post });
  }
}

async function board(ctx: Ctx, window = "", workspaceId = "T1"): Promise<string[][]> {
  const [reply] = await ctx.chat.say("host", `leaderboard ${window}`, { workspaceId });
  expect(reply?.visibility).toBe("public");
  const table = reply?.message.blocks.find((b): b is Extract<Block, { type: "table" }> => b.type === "table");
  return table?.rows ?? [];
}

describe.each(dialects)("leaderboard (%s)", (dialect) => {
  it("ranks by points, lists 0-point members, and shows accuracy and streak", async () => {
    const ctx = await createTestBot({ dialect, random: () => 0.99 });
    await round(ctx, "2026-11-23T10:00:00Z", [
      ["ana", "right"],
      ["bob", "right"],
      ["cy", "wrong"],
    ]);
    const rows = await board(ctx);
    expect(rows.map((r) => r[1])).toEqual(["ana", "bob", "cy"]);
    expect(rows[2]).toEqual(["3", "cy", "0", "0%", "1"]);
    expect(rows[0]?.[3]).toBe("100%");
  });

  it("windows: week starts Monday local time, month on the 1st, all is everything", async () => {
    const ctx = await createTestBot({ dialect, random: () => 0.99 });
    await round(ctx, "2026-10-30T10:00:00Z", [["old", "right"]]);
    await round(ctx, "2026-11-20T10:00:00Z", [["mid", "right"]]);
    await round(ctx, "2026-11-23T10:00:00Z", [["new", "right"]]);
    ctx.clock.set("2026-11-25T10:00:00Z");
    expect((await board(ctx)).map((r) => r[1])).toEqual(["new"]);
    // The same board again in the channel: after the cooldown, or it would not be posted.
    ctx.clock.advance(boardCooldownMs);
    expect((await board(ctx, "week")).map((r) => r[1])).toEqual(["new"]);
    expect((await board(ctx, "month")).map((r) => r[1]).sort()).toEqual(["mid", "new"]);
    // October's champion wears a 🏆 all November, on every board.
    expect((await board(ctx, "all")).map((r) => r[1]).sort()).toEqual(["mid", "new", "🏆 old"]);
    expect((await board(ctx, "season")).map((r) => r[1]).sort()).toEqual(["mid", "new"]);
  });

  it("breaks ties by accuracy, then by who reached the score first", async () => {
    const ctx = await createTestBot({ dialect, random: () => 0.99 });
    await round(ctx, "2026-11-23T09:00:00Z", [
      ["bonus", "right"],
      ["early", "right"],
      ["late", "right"],
    ]);
    await round(ctx, "2026-11-23T10:00:00Z", [
      ["bonus", "wrong"],
      ["sloppy", "wrong"],
    ]);
    const rows = await board(ctx);
    const names = rows.map((r) => r[1]);
    // bonus has +5; early and late tie on points and accuracy, early got there first; sloppy has 0.
    expect(names).toEqual(["bonus", "early", "late", "sloppy"]);
    const ctx2 = await createTestBot({ dialect, random: () => 0.99 });
    await round(ctx2, "2026-11-23T09:00:00Z", [
      ["first", "right"],
      ["x", "right"],
      ["y", "right"],
    ]);
    await round(ctx2, "2026-11-23T10:00:00Z", [
      ["z", "right"],
      ["x", "wrong"],
    ]);
    // x and y have equal points; y is 100% accurate, x 50%: y ranks above x although x answered first.
    const names2 = (await board(ctx2)).map((r) => r[1]);
    expect(names2.indexOf("y")).toBeLessThan(names2.indexOf("x"));
  });

  it("shows the top 25 and then the asker's own row with its rank", async () => {
    const ctx = await createTestBot({ dialect, random: () => 0.99 });
    const others = Array.from({ length: 26 }, (_, i) => [`m${String(i).padStart(2, "0")}`, "right"] as [string, "right"]);
    await round(ctx, "2026-11-23T10:00:00Z", [...others, ["zed", "wrong"], ["host", "wrong"]]);
    const [reply] = await ctx.chat.say("host", "leaderboard");
    const table = reply?.message.blocks.find((b): b is Extract<Block, { type: "table" }> => b.type === "table");
    expect(table?.rows).toHaveLength(26);
    // m00 was first and right: the bonus puts it on top; the others tie and rank by who answered first.
    expect(table?.rows.slice(0, 25).map((r) => r[1])).toEqual(others.slice(0, 25).map(([name]) => name));
    // zed and host tie on points and accuracy; zed answered first, so host is 28th.
    expect(table?.rows[25]).toEqual(["28", "host", "0", "0%", "1"]);
    expect(JSON.stringify(reply?.message.blocks)).toContain("2 more");
  });

  it("never shows a member of another workspace", async () => {
    const ctx = await createTestBot({ dialect, random: () => 0.99 });
    await round(ctx, "2026-11-23T10:00:00Z", [["ana", "right"]], "T1");
    await round(ctx, "2026-11-23T11:00:00Z", [["mallory", "right"]], "T2");
    expect((await board(ctx, "", "T1")).map((r) => r[1])).toEqual(["ana"]);
    expect((await board(ctx, "", "T2")).map((r) => r[1])).toEqual(["mallory"]);
    const [streak] = await ctx.chat.say("ana", "streak mallory", { workspaceId: "T1" });
    expect(streak?.message.text).toContain('No member "mallory"');
  });

  it("posts a board to a channel once per cooldown and tells a later asker privately how long ago it was posted", async () => {
    const ctx = await createTestBot({ dialect, random: () => 0.99 });
    await round(ctx, "2026-11-23T10:00:00Z", [["ana", "right"]]);
    const first = await ctx.chat.say("host", "leaderboard");
    expect(first[0]?.visibility).toBe("public");
    ctx.clock.advance(12_400);
    const again = await ctx.chat.say("bob", "leaderboard week");
    expect(again.map((r) => r.visibility)).toEqual(["private"]);
    expect(textOf(again)).toBe('"Leaderboard: this week" was posted here 12 s ago: scroll up.');
    // Another window, another channel, another workspace: each its own board.
    expect((await ctx.chat.say("host", "leaderboard month"))[0]?.visibility).toBe("public");
    expect((await ctx.chat.say("host", "leaderboard", { channelId: "C2" }))[0]?.visibility).toBe("public");
    expect((await ctx.chat.say("host", "leaderboard", { workspaceId: "T2" }))[0]?.visibility).toBe("public");
    await ctx.chat.say("host", "config language zh");
    ctx.clock.advance(30_000);
    expect(textOf(await ctx.chat.say("host", "leaderboard"))).toBe("“排行榜：本周”42 秒前刚在这里发过：往上翻就能看到。");
    // A cooldown after the first post, the board is posted again.
    ctx.clock.advance(boardCooldownMs - 42_400);
    expect((await ctx.chat.say("host", "leaderboard"))[0]?.visibility).toBe("public");
  });

  it("posts one board when two members ask for it together", async () => {
    const ctx = await createTestBot({ dialect });
    const replies = await Promise.all([ctx.chat.say("ana", "leaderboard"), ctx.chat.say("bob", "leaderboard")]);
    expect(replies.map(([reply]) => reply?.visibility).sort()).toEqual(["private", "public"]);
  });

  it("lets a board whose post failed be posted again at once", async () => {
    const ctx = await createTestBot({ dialect });
    const [failed] = await ctx.chat.say("host", "leaderboard");
    // What an adapter does when the channel refuses the post.
    failed?.onPostFailed?.();
    ctx.clock.advance(1000);
    expect((await ctx.chat.say("host", "leaderboard"))[0]?.visibility).toBe("public");
  });
});
