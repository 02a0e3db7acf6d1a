import { afterEach, describe, expect, it } from "vitest";
import { answerButtons, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { latestRoundAnswer, latestRoundDifficulty } from "../helpers/test-bot.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Slack: the 50/50 lifeline", () => {
  it("a 50/50 shows two choices in an ephemeral message; a right answer from it scores half; a second press is refused", async () => {
    h = await startSlackHarness();
    await h.command("quiz net.tcp");
    await h.slack.until(() => h.slack.messages.length === 1);
    const round = h.slack.messages[0];
    if (!round) throw new Error("no round");
    const answer = await latestRoundAnswer(h.db);
    const actions = round.blocks.filter((b) => b.type === "actions") as Array<{
      elements: Array<{ action_id: string; value: string; text: { text: string } }>;
    }>;
    const lifeline = actions[1]?.elements[0];
    expect(lifeline?.text.text).toBe("50/50");

    const pressed = await h.click(lifeline?.action_id ?? "", lifeline?.value ?? "");
    await h.slack.until(() => h.replies(pressed.responseId).length === 1);
    expect(h.replies(pressed.responseId)[0]).toContain("50/50: two choices left");
    const ephemeral = h.slack.responses.find((r) => r.id === pressed.responseId)?.body as {
      response_type: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(ephemeral.response_type).toBe("ephemeral");
    const two = answerButtons(ephemeral);
    expect(two).toHaveLength(2);
    const right = two.find(([, value]) => value.endsWith(`:${answer}`));
    if (!right) throw new Error("the answer is not among the two");

    const answered = await h.click(...right);
    await h.slack.until(() => h.replies(answered.responseId).length === 1);
    const difficulty = await latestRoundDifficulty(h.db);
    expect(h.replies(answered.responseId)[0]).toContain(`Correct! +${5 * difficulty} points`);

    const again = await h.click(lifeline?.action_id ?? "", lifeline?.value ?? "", { user: "U2" });
    await h.slack.until(() => h.replies(again.responseId).length === 1);
    const twice = await h.click(lifeline?.action_id ?? "", lifeline?.value ?? "", { user: "U2" });
    await h.slack.until(() => h.replies(twice.responseId).length === 1);
    expect(h.replies(twice.responseId)[0]).toContain("You already used 50/50 in this round");
  });
});
