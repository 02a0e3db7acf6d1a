import { InsertQueryNode, TableNode } from "kysely";
import { describe, expect, it } from "vitest";
import { dialects } from "../helpers/databases.ts";
import { textOf } from "../helpers/fake-chat.ts";
import { ManualClock } from "../helpers/manual-clock.ts";
import { createTestBot, fixtureDb, latestRoundAnswer } from "../helpers/test-bot.ts";

// Group commit runs each piece of work again, alone, when the shared transaction fails. An answer's work must then
// leave exactly what one run leaves: one answer, its points once, one activity day, one review card.
describe.each(dialects)("group commit re-runs an answer's work safely (%s)", (dialect) => {
  it("records two members' answers once each when their shared transaction fails and each is run again", async () => {
    const clock = new ManualClock("2026-11-23T10:00:00Z");
    let failNextMemberInsert = false;
    const db = (await fixtureDb(clock, dialect)).withPlugin({
      transformQuery: ({ node }) => {
        if (
          failNextMemberInsert &&
          InsertQueryNode.is(node) &&
          node.into &&
          TableNode.is(node.into) &&
          node.into.table.identifier.name === "members"
        ) {
          failNextMemberInsert = false;
          throw new Error("the shared transaction fails once");
        }
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const { chat } = await createTestBot({ db, clock });
    await chat.say("host", "quiz");
    const right = String((await latestRoundAnswer(db)) + 1);
    const wrong = right === "1" ? "2" : "1";
    // A first answer leaves the round, its question and the channel in the bot's memory: the next clicks then reach group
    // commit without a database round trip, in the same turn of the event loop, so their work shares one transaction.
    await chat.press("cy", right);
    failNextMemberInsert = true;
    // Both clicks arrive in the same moment: their shared transaction fails on the first new member.
    const [ana, bo] = await Promise.all([chat.press("ana", right), chat.press("bo", wrong)]);
    expect(failNextMemberInsert).toBe(false);
    expect(textOf(ana ?? [])).toContain("Correct! +");
    expect(textOf(bo ?? [])).toContain("Not quite");

    const count = async (table: "answers" | "activity" | "cards", member: string) =>
      (await db.selectFrom(table).select("member_id").execute()).filter((r) =>
        (r as { member_id?: string }).member_id?.endsWith(`:${member}`),
      ).length;
    for (const member of ["ana", "bo"]) {
      expect(await count("answers", member)).toBe(1);
      expect(await count("activity", member)).toBe(1);
      expect(await count("cards", member)).toBe(1);
    }
    const scores = await db.selectFrom("scores").select(["member_id", "points", "answered"]).where("period", "=", "all").execute();
    const points = Object.fromEntries(scores.map((s) => [s.member_id.split(":").at(-1), [Number(s.points), Number(s.answered)]]));
    const stored = await db.selectFrom("answers").select(["member_id", "points"]).execute();
    const answerPoints = (member: string) => Number(stored.find((a) => a.member_id.endsWith(`:${member}`))?.points);
    expect(answerPoints("ana")).toBeGreaterThan(0);
    // Each member's total is their one answer's points, counted once.
    expect(points).toEqual({ cy: [answerPoints("cy"), 1], ana: [answerPoints("ana"), 1], bo: [0, 1] });
    // And a second click of each is refused as a repeat: the first answer stands.
    expect(textOf(await chat.press("ana", wrong))).toContain("You already answered this one");
  });
});
