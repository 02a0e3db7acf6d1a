import { describe, expect, it } from "vitest";
import { dialects } from "../helpers/databases.ts";
import { buttonsOf, textOf } from "../helpers/fake-chat.ts";
import { createTestBot, latestRoundAnswer } from "../helpers/test-bot.ts";

describe.each(dialects)("spaced-repetition review (%s)", (dialect) => {
  it("makes a missed question due within the day and a right one not, on the workspace's local day", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z", timezone: "Asia/Shanghai" });
    await ctx.chat.say("ana", "quiz net.tcp", { channelId: "C1" });
    const answer = await latestRoundAnswer(ctx.db);
    await ctx.chat.press("ana", String(((answer + 1) % 4) + 1));
    ctx.clock.advance(1000);
    await ctx.chat.say("ana", "quiz db.mysql", { channelId: "C2" });
    await ctx.chat.press("ana", String((await latestRoundAnswer(ctx.db)) + 1));
    const cards = await ctx.db.selectFrom("cards").select(["question_id", "due"]).orderBy("due").execute();
    expect(cards).toHaveLength(2);
    // 10:00Z is 18:00 in Shanghai: the missed card is due at 18:10 today, the right one in two days.
    expect(cards[0]?.due).toBe("2026-11-23T10:10:00.000Z");
    expect(cards[1]?.due).toBe("2026-11-25T10:00:01.000Z");

    const session = await ctx.chat.say("ana", "review");
    expect(session[0]?.visibility).toBe("private");
    expect(textOf(session)).toContain("Review: 1 card due today");
    expect(textOf(session)).toContain(`Fixture question ${cards[0]?.question_id}`);
  });

  it("reviews a question met again in another round, and recreates a card that went missing", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    const answerIn = async (channelId: string) => {
      await ctx.chat.say("ana", "quiz net.tcp", { channelId });
      await ctx.chat.press("ana", String((await latestRoundAnswer(ctx.db)) + 1));
    };
    const card = () => ctx.db.selectFrom("cards").select(["question_id", "state", "previous_state"]).execute();
    await answerIn("C1");
    const [first] = await card();
    // The same question in another channel's round: the member's card is reviewed, not inserted twice.
    await answerIn("C2");
    const [second, ...more] = await card();
    expect(more).toEqual([]);
    expect(second?.question_id).toBe(first?.question_id);
    expect(second?.previous_state).toBe(first?.state);
    expect(JSON.parse(second?.state ?? "{}").reps).toBe(2);
    // The bot remembers that this card exists; when it is gone all the same, the next answer stores it afresh.
    await ctx.db.deleteFrom("cards").execute();
    await answerIn("C3");
    const [third, ...others] = await card();
    expect(others).toEqual([]);
    expect([third?.question_id, third?.previous_state, JSON.parse(third?.state ?? "{}").reps]).toEqual([first?.question_id, null, 1]);
  });

  it("grades a review: right and quick is Good, slow is Hard, wrong is Again; Easy on request; then the next card", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    for (const [channelId, topic] of [
      ["C1", "net.tcp"],
      ["C2", "db.mysql"],
    ]) {
      await ctx.chat.say("ana", `quiz ${topic}`, { channelId });
      await ctx.chat.press("ana", String((((await latestRoundAnswer(ctx.db)) + 1) % 4) + 1));
    }
    ctx.clock.advance(11 * 60_000);
    const first = await ctx.chat.say("ana", "review");
    expect(textOf(first)).toContain("Review: 2 cards due today");
    const card = first[0]?.message;
    const questionId = buttonsOf(card ?? { text: "", blocks: [] })[0]?.value.split(":")[0] as string;
    const { answer } = await ctx.db.selectFrom("questions").select("answer").where("id", "=", questionId).executeTakeFirstOrThrow();
    const right = buttonsOf(card ?? { text: "", blocks: [] })[answer];
    if (!right) throw new Error("no button");
    ctx.clock.advance(5_000);
    const graded = await ctx.chat.pressButton("ana", right);
    expect(textOf(graded)).toContain("Right.");
    expect(textOf(graded)).toContain("Next review of this card: 2026-11-24 10:11");
    const easy = buttonsOf(graded[0]?.message ?? { text: "", blocks: [] }).find((b) => b.action === "review-easy");
    if (!easy) throw new Error("no Easy button");
    const easyText = textOf(await ctx.chat.pressButton("ana", easy));
    // FSRS decides the interval; Easy never brings the card back sooner than Good did.
    expect(easyText).toMatch(/^Marked easy: next review \d{4}-\d{2}-\d{2} \d{2}:\d{2}\.$/);
    expect(easyText.slice(25, 41) >= "2026-11-24 10:11").toBe(true);

    const next = await ctx.chat.pressButton("ana", { action: "review-next", value: "next", label: "Next card", key: "n" });
    expect(textOf(next)).toContain("Review: 1 card due today");
    const second = buttonsOf(next[0]?.message ?? { text: "", blocks: [] });
    const secondId = second[0]?.value.split(":")[0] as string;
    const secondAnswer = (await ctx.db.selectFrom("questions").select("answer").where("id", "=", secondId).executeTakeFirstOrThrow())
      .answer;
    ctx.clock.advance(60_000);
    const slow = await ctx.chat.pressButton("ana", second[secondAnswer] as (typeof second)[number]);
    // Right but after a minute: Hard, so the card comes back in 15 minutes.
    expect(textOf(slow)).toContain("Next review of this card: 2026-11-23 10:27");
    expect(textOf(await ctx.chat.say("ana", "review"))).toContain("Review: 1 card due today");
    ctx.clock.advance(20 * 60_000);
    const third = await ctx.chat.say("ana", "review");
    const wrong = buttonsOf(third[0]?.message ?? { text: "", blocks: [] }).find((b) => Number(b.value.split(":")[1]) !== secondAnswer);
    expect(textOf(await ctx.chat.pressButton("ana", wrong as NonNullable<typeof wrong>))).toContain("Not quite: the answer is");
    expect(textOf(await ctx.chat.say("ana", "review"))).toContain("Review: 1 card due today");
  });

  it("says when the next card is due, or that there are no cards yet, and counts reviews as study activity", async () => {
    const ctx = await createTestBot({ dialect, now: "2026-11-23T10:00:00Z" });
    expect(textOf(await ctx.chat.say("bo", "review"))).toContain("No cards yet");
    await ctx.chat.say("bo", "quiz net.tcp");
    await ctx.chat.press("bo", String((await latestRoundAnswer(ctx.db)) + 1));
    expect(textOf(await ctx.chat.say("bo", "review"))).toBe("Nothing to review today. Your next card is due 2026-11-25 10:00.");
    ctx.clock.set("2026-11-25T10:00:00Z");
    const session = await ctx.chat.say("bo", "review");
    await ctx.chat.pressButton("bo", buttonsOf(session[0]?.message ?? { text: "", blocks: [] })[0] as never);
    const days = await ctx.db.selectFrom("activity").select("local_date").orderBy("local_date").execute();
    expect(days.map((d) => d.local_date)).toEqual(["2026-11-23", "2026-11-25"]);
  });
});
