import { afterEach, describe, expect, it } from "vitest";
import { type DiscordHarness, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { latestRoundAnswer, latestRoundDifficulty } from "../helpers/test-bot.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Discord: the 50/50 lifeline", () => {
  it("a 50/50 shows two choices in an ephemeral reply; a right answer from it scores half; a second press is refused", async () => {
    h = await startDiscordHarness();
    await h.answer(h.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }]));
    const round = h.discord.messages[0];
    if (!round) throw new Error("no round");
    const answer = await latestRoundAnswer(h.db);
    expect(round.components.map((row) => row.components.map((b) => b.label))).toEqual([["A", "B", "C", "D", "50/50"]]);
    const lifeline = round.components[0]?.components[4]?.custom_id ?? "";

    const help = await h.answer(h.click(lifeline, round.id));
    expect(visibleText(help)).toContain("50/50: two choices left");
    const two = ((help?.components as Array<{ components: Array<{ custom_id: string }> }> | undefined) ?? []).flatMap((row) =>
      row.components.map((b) => b.custom_id),
    );
    expect(two).toHaveLength(2);
    const right = two.find((id) => id.endsWith(`:${answer}`));
    if (!right) throw new Error("the answer is not among the two");
    const difficulty = await latestRoundDifficulty(h.db);
    expect(visibleText(await h.answer(h.click(right, round.id)))).toContain(`Correct! +${5 * difficulty} points`);

    const other = { user: "310000000000000077" };
    await h.answer(h.click(lifeline, round.id, other));
    expect(visibleText(await h.answer(h.click(lifeline, round.id, other)))).toContain("You already used 50/50 in this round");
  });
});
