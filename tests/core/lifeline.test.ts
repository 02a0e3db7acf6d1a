import { describe, expect, it } from "vitest";
import { dialects } from "../helpers/databases.ts";
import { buttonsOf, textOf } from "../helpers/fake-chat.ts";
import { createTestBot, latestRoundAnswer, latestRoundDifficulty } from "../helpers/test-bot.ts";

const letters = ["A", "B", "C", "D"];

describe.each(dialects)("the 50/50 lifeline (%s)", (dialect) => {
  it("shows one member the round with two wrong choices gone, once, for half the points and no bonus", async () => {
    const { chat, db, clock } = await createTestBot({ dialect, random: () => 0.5 });
    await chat.say("lead", "quiz");
    const [round] = chat.rounds();
    const answer = await latestRoundAnswer(db);
    const difficulty = await latestRoundDifficulty(db);

    const [help] = await chat.press("ana", "h", { post: round });
    expect(help?.visibility).toBe("private");
    const left = buttonsOf(help?.message ?? { text: "", blocks: [] }).map((b) => Number(b.value.split(":")[1]));
    expect(left).toHaveLength(2);
    expect(left).toContain(answer);
    expect(help?.message.text).toContain("A right answer now earns half the points and no first-correct bonus.");
    for (const i of [0, 1, 2, 3].filter((i) => !left.includes(i)))
      expect(help?.message.text).not.toMatch(new RegExp(`^${letters[i]}\\. `, "m"));
    // A second press is refused, and says which two are left.
    const again = textOf(await chat.press("ana", "h", { post: round }));
    expect(again).toContain("You already used 50/50 in this round (once per round). Your two choices: ");
    for (const i of left) expect(again).toContain(`${letters[i]}. `);

    // ana answers first and right, with the lifeline: half, and the bonus stays for bo.
    clock.advance(1000);
    const right = buttonsOf(help?.message ?? { text: "", blocks: [] }).find((b) => b.value.endsWith(`:${answer}`));
    if (!right) throw new Error("no button for the answer");
    expect(textOf(await chat.pressButton("ana", right))).toContain(`Correct! +${5 * difficulty} points`);
    clock.advance(1000);
    expect(textOf(await chat.press("bo", String(answer + 1), { post: round }))).toContain(`Correct! +${10 * difficulty + 5} points`);
    // After answering there is nothing left to help with.
    expect(textOf(await chat.press("ana", "h", { post: round }))).toContain("You already answered this one");
  });

  it("says in the results how many used it, and offers nothing when the workspace turns lifelines off", async () => {
    const { chat, bot, clock } = await createTestBot({ dialect });
    await chat.say("lead", "quiz");
    const [round] = chat.rounds();
    await chat.press("ana", "h", { post: round });
    await chat.press("bo", "h", { post: round });
    clock.advance(11 * 60_000);
    await bot.closeDueRounds();
    expect(round?.edits.at(-1)?.text).toContain("2 used 50/50.");

    expect(textOf(await chat.say("lead", "config lifelines off"))).toContain("lifelines is now off");
    await chat.say("lead", "quiz");
    const second = chat.rounds().at(-1);
    expect(buttonsOf(second?.message ?? { text: "", blocks: [] }).map((b) => b.key)).toEqual(["1", "2", "3", "4"]);
    // A 50/50 asked for anyway (an old client, a forged click) is refused.
    const roundId = buttonsOf(second?.message ?? { text: "", blocks: [] })[0]?.value.split(":")[0] ?? "";
    const forced = await chat.pressButton("ana", { action: "lifeline", value: roundId, label: "50/50", key: "h" });
    expect(textOf(forced)).toContain("Lifelines are off in this workspace");
    expect(textOf(await chat.say("lead", "config lifelines maybe"))).toContain('"maybe" is not a value for lifelines: use on or off.');
  });
});
