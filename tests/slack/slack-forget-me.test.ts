import { afterEach, describe, expect, it } from "vitest";
import { answerButtons, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Slack: /study forget-me", () => {
  it("asks in an ephemeral message with Delete my data and Cancel; another member's click is refused; the asker's deletes", async () => {
    h = await startSlackHarness();
    await h.command("quiz net.tcp");
    await h.slack.until(() => h.slack.messages.length === 1);
    const round = h.slack.messages[0];
    if (!round) throw new Error("no round");
    const right = answerButtons(round)[await latestRoundAnswer(h.db)];
    if (!right) throw new Error("no answer button");
    const answered = await h.click(...right, { user: "U7" });
    await h.slack.until(() => h.replies(answered.responseId).length === 1);

    const asked = await h.command("forget-me", { user: "U7" });
    await h.slack.until(() => h.replies(asked.responseId).length === 1);
    const ephemeral = h.slack.responses.find((r) => r.id === asked.responseId)?.body as {
      response_type: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(ephemeral.response_type).toBe("ephemeral");
    expect(h.replies(asked.responseId)[0]).toContain("• 1 quiz answers and 0 articles marked read");
    const actions = ephemeral.blocks.find((b) => b.type === "actions") as {
      elements: Array<{ action_id: string; value: string; text: { text: string } }>;
    };
    expect(actions.elements.map((e) => e.text.text)).toEqual(["Delete my data", "Cancel"]);
    const [confirm] = answerButtons(ephemeral);
    if (!confirm) throw new Error("no confirm button");

    const stranger = await h.click(...confirm, { user: "U8" });
    await h.slack.until(() => h.replies(stranger.responseId).length === 1);
    expect(h.replies(stranger.responseId)[0]).toContain("Only the member who asked can confirm this");
    expect(await h.db.selectFrom("members").select("id").where("id", "=", "slack:T1:U7").executeTakeFirst()).toBeDefined();

    const confirmed = await h.click(...confirm, { user: "U7" });
    await h.slack.until(() => h.replies(confirmed.responseId).length === 1);
    expect(h.replies(confirmed.responseId)[0]).toContain("Done: your study data in this workspace is deleted.");
    expect(await h.db.selectFrom("members").select("id").where("id", "=", "slack:T1:U7").executeTakeFirst()).toBeUndefined();
    expect(await h.db.selectFrom("answers").selectAll().execute()).toEqual([]);
  });
});
