import { describe, expect, it } from "vitest";
import { candidateWeight, reportedFactor } from "../../src/features/rounds/picker.ts";
import { dialects } from "../helpers/databases.ts";
import { buttonsOf, textOf } from "../helpers/fake-chat.ts";
import { createTestBot } from "../helpers/test-bot.ts";

describe.each(dialects)("question reports (%s)", (dialect) => {
  it("offers 'Report a problem' on a closed round, asks for a note, stores one report per member, and lists it for admins", async () => {
    const { chat, bot, clock, db } = await createTestBot({ dialect });
    await chat.say("ana", "quiz net.tcp");
    const round = chat.rounds()[0];
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    const report = buttonsOf(round?.edits.at(-1) ?? { text: "", blocks: [] }).find((b) => b.action === "report");
    if (!report) throw new Error("no report button");

    const form = await chat.pressButton("ana", report);
    expect(form[0]?.form).toMatchObject({ action: "report-submit", value: report.value, title: "Report a problem" });
    const submit = { action: "report-submit", value: report.value, label: "", key: "" };
    const thanks = await chat.submitForm("ana", form[0]?.form as NonNullable<(typeof form)[0]["form"]>, {
      note: "Choice B is also right on Linux 6.x",
    });
    expect(textOf(thanks)).toContain("Thanks: the report is saved");
    expect(textOf(await chat.pressButton("ana", submit))).toContain("You already reported this question");
    await chat.pressButton("bo", submit);

    expect(textOf(await chat.say("ana", "config reports", {}, false))).toBe("⚠️ Only a workspace admin can do that.");
    const list = textOf(await chat.say("lead", "config reports"));
    const { question_id } = await db.selectFrom("rounds").select("question_id").executeTakeFirstOrThrow();
    expect(list).toContain(`${question_id} (2): ana: Choice B is also right on Linux 6.x; bo`);

    expect(textOf(await chat.say("lead", `config resolve ${question_id}`))).toBe(`Resolved 2 reports on ${question_id}.`);
    expect(textOf(await chat.say("lead", "config reports"))).toBe("No open reports.");
    expect(textOf(await chat.say("lead", `config resolve ${question_id}`))).toBe(`No open reports on "${question_id}".`);
  });
});

describe("picker weights", () => {
  const none = { topics: new Map(), questions: new Map(), reported: new Set<string>() };

  it("shows a reported question a fifth as often", () => {
    const q = { id: "q", topicId: "t" };
    expect(candidateWeight(q, { ...none, reported: new Set(["q"]) })).toBeCloseTo(candidateWeight(q, none) * reportedFactor);
  });

  it("raises a question the team often misses, and a topic it answers badly", () => {
    const q = { id: "q", topicId: "t" };
    const missed = { ...none, questions: new Map([["q", { answered: 4, correct: 1 }]]) };
    expect(candidateWeight(q, missed)).toBeCloseTo(candidateWeight(q, none) * 1.75);
    const weakTopic = { ...none, topics: new Map([["t", { answered: 10, correct: 2 }]]) };
    const strongTopic = { ...none, topics: new Map([["t", { answered: 10, correct: 10 }]]) };
    expect(candidateWeight(q, weakTopic)).toBeGreaterThan(candidateWeight(q, strongTopic));
  });
});
