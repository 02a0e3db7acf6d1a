import { InsertQueryNode, SelectQueryNode, TableNode } from "kysely";
import { describe, expect, it } from "vitest";
import { dialects } from "../helpers/databases.ts";
import { buttonsOf, textOf } from "../helpers/fake-chat.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { createTestBot, fixtureDb, latestRoundAnswer } from "../helpers/test-bot.ts";

describe.each(dialects)("rounds (%s)", (dialect) => {
  it("posts a round with the question, a button per choice and the closing time, and replies privately", async () => {
    const { chat } = await createTestBot({ dialect });
    const replies = await chat.say("ana", "quiz");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.visibility).toBe("private");
    expect(textOf(replies)).toContain("Quiz posted");
    const [round] = chat.rounds();
    expect(round?.message.text).toMatch(/Fixture question fx-/);
    expect(round?.message.text).toContain("Closes 2026-11-23 10:10 (UTC)");
    expect(round?.message.text).toContain("0 answers so far");
    expect(buttonsOf(round?.message ?? { text: "", blocks: [] }).map((b) => b.key)).toEqual(["1", "2", "3", "4", "h"]);
  });

  it("counts one answer per member under 200 concurrent clicks, and the first answer is the one kept", async () => {
    const { chat, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz");
    const members = Array.from({ length: 200 }, (_, i) => `m${i}`);
    const replies = await Promise.all(members.map((m, i) => chat.press(m, String((i % 4) + 1))));
    expect(replies.every((r) => r.length === 1 && r[0]?.visibility === "private")).toBe(true);
    const again = await Promise.all(Array.from({ length: 200 }, (_, i) => chat.press("m0", String((i % 4) + 1))));
    expect(again.every((r) => textOf(r).includes("You already answered this one (A."))).toBe(true);
    const rows = await db.selectFrom("answers").select(["member_id", "choice"]).execute();
    expect(rows).toHaveLength(200);
    expect(rows.find((r) => r.member_id.endsWith(":m0"))?.choice).toBe(0);
  });

  it("stores a member and their groups once when their clicks on several rounds arrive together", async () => {
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    // Counts the member and group statements the bot sends (neither is precompiled, so each runs through the plugin).
    const sent: string[] = [];
    const db = (await fixtureDb(clock, dialect)).withPlugin({
      transformQuery: ({ node }) => {
        const table = InsertQueryNode.is(node) ? node.into : SelectQueryNode.is(node) ? node.from?.froms[0] : undefined;
        if (table && TableNode.is(table)) sent.push(`${node.kind}:${table.table.identifier.name}`);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const { chat } = await createTestBot({ db, clock });
    const channels = ["C1", "C2", "C3", "C4", "C5"];
    for (const channelId of channels) await chat.say("host", "quiz", { channelId });
    chat.groupsOf.set("ana", ["backend"]);
    sent.length = 0;
    const rounds = chat.rounds();
    const replies = await Promise.all(rounds.map((post) => chat.press("ana", "1", { post })));
    expect(replies.map((r) => r[0]?.visibility)).toEqual(["private", "private", "private", "private", "private"]);
    expect(sent.filter((s) => s === "InsertQueryNode:members")).toHaveLength(1);
    expect(sent.filter((s) => s === "SelectQueryNode:member_groups")).toHaveLength(1);
    const stored = await db.selectFrom("answers").select("round_id").where("member_id", "=", "console:T1:ana").execute();
    expect(stored).toHaveLength(5);
    const groups = await db.selectFrom("member_groups").select("group_id").where("member_id", "=", "console:T1:ana").execute();
    expect(groups).toEqual([{ group_id: "backend" }]);
    const days = await db.selectFrom("activity").select("local_date").where("member_id", "=", "console:T1:ana").execute();
    expect(days).toEqual([{ local_date: "2026-11-23" }]);
  });

  it("gives 10 x difficulty for a right answer, +5 only to the first right answer, and 0 for a wrong one", async () => {
    const { chat, db } = await createTestBot({ dialect, random: () => 0 });
    await chat.say("ana", "quiz net.tcp");
    const round = chat.rounds()[0];
    const question = await db
      .selectFrom("rounds")
      .innerJoin("questions", "questions.id", "rounds.question_id")
      .select(["questions.answer", "questions.difficulty"])
      .executeTakeFirstOrThrow();
    const right = String(question.answer + 1);
    const wrong = String(((question.answer + 1) % 4) + 1);
    expect(textOf(await chat.press("ana", right, { post: round }))).toContain(`Correct! +${10 * question.difficulty + 5} points`);
    expect(textOf(await chat.press("bob", right, { post: round }))).toContain(`Correct! +${10 * question.difficulty} points`);
    expect(textOf(await chat.press("cy", wrong, { post: round }))).toContain("Not quite: the answer is");
    const points = await db.selectFrom("answers").select(["member_id", "points"]).orderBy("answered_at").execute();
    expect(points.map((p) => p.points)).toEqual([10 * question.difficulty + 5, 10 * question.difficulty, 0]);
  });

  it("edits the public answer count, never more than once per 2 seconds", async () => {
    const { chat, bot } = await createTestBot({ dialect });
    await chat.say("ana", "quiz");
    const round = chat.rounds()[0];
    await Promise.all(["a", "b", "c"].map((m) => chat.press(m, "1")));
    const started = Date.now();
    while (!round?.edits.some((e) => e.text.includes("3 answers so far"))) {
      if (Date.now() - started > 5000) throw new Error("the count was never edited to 3");
      await new Promise((r) => setTimeout(r, 20));
    }
    // The first edit may have gone out after only some answers; the next waits its 2 seconds.
    expect(round.edits.length).toBeLessThanOrEqual(2);
    const before = round.edits.length;
    await chat.press("d", "1");
    await new Promise((r) => setTimeout(r, 300));
    await bot.settle();
    expect(round.edits).toHaveLength(before);
    bot.stop();
  });

  it("closes with the answer, explanation, picks per choice and who was right, fastest first; late clicks get 'closed'", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz db.mysql");
    const round = chat.rounds()[0];
    const answer = await latestRoundAnswer(db);
    await chat.press("zed", String(answer + 1), { post: round });
    clock.advance(1000);
    await chat.press("amy", String(answer + 1), { post: round });
    await chat.press("bo", String(((answer + 1) % 4) + 1), { post: round });
    clock.advance(10 * 60 * 1000);
    await bot.closeDueRounds();
    const results = round?.edits.at(-1);
    expect(results?.text).toContain("Results");
    expect(results?.text).toMatch(/Answer: [A-D]\. \w+\nExplanation of fx-/);
    expect(results?.text).toContain("Right (fastest first): zed, amy");
    expect(results?.text).toMatch(/✅ [A-D]\. \w+ \(2\)/);
    expect(buttonsOf(results ?? { text: "", blocks: [] }).map((b) => b.action)).toEqual(["report"]);
    const late = await chat.press("cy", "1", { post: round });
    expect(textOf(late)).toMatch(/This quiz is closed; the answer was [A-D]\./);
    expect(await db.selectFrom("answers").selectAll().execute()).toHaveLength(3);
    bot.stop();
  });

  it("keeps one open ad hoc round per channel and points a second /study quiz to it", async () => {
    const { chat } = await createTestBot({ dialect });
    await chat.say("ana", "quiz");
    expect(textOf(await chat.say("bob", "quiz"))).toContain("already open in this channel");
    expect(chat.rounds()).toHaveLength(1);
    await chat.say("bob", "quiz", { channelId: "C2" });
    expect(chat.rounds()).toHaveLength(2);
  });

  it("refuses a click from another channel or workspace and never grades it", async () => {
    const { chat, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz");
    const round = chat.rounds()[0];
    expect(textOf(await chat.press("eve", "1", { post: round, where: { workspaceId: "T2" } }))).toContain("belongs to another channel");
    expect(textOf(await chat.press("eve", "1", { post: round, where: { channelId: "C9" } }))).toContain("belongs to another channel");
    expect(await db.selectFrom("answers").selectAll().execute()).toHaveLength(0);
  });

  it("takes a topic by prefix of its id or name, and avoids questions the channel saw in the last 30 days", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect });
    const asked: string[] = [];
    for (let i = 0; i < 3; i++) {
      await chat.say("ana", "quiz Select");
      clock.advance(11 * 60 * 1000);
      await bot.closeDueRounds();
    }
    for (const row of await db.selectFrom("rounds").select("question_id").orderBy("opened_at").execute()) asked.push(row.question_id);
    expect(asked.sort()).toEqual(["fx-epoll-1", "fx-epoll-2", "fx-epoll-3"]);
    expect(textOf(await chat.say("ana", "quiz nosuchtopic"))).toContain('No topic matches "nosuchtopic"');
  });
});
