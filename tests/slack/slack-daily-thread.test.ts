import { afterEach, describe, expect, it } from "vitest";
import { unescapeSlackText } from "../../src/adapters/slack/block-kit.ts";
import { answerButtons, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Slack: the daily thread", () => {
  it("posts the question of the day in the digest's thread, edits its results there and replies in the thread", async () => {
    h = await startSlackHarness({ now: "2026-11-23T08:00:00Z", adapter: { admins: new Set(["U1"]) } });
    await h.command("subscribe 09:00");
    await h.slack.until(() => h.slack.messages.length === 1);
    h.clock.set("2026-11-23T09:00:00Z");
    await h.bot.runDueDigests();
    const digest = h.slack.messages.find((m) => m.metadata);
    const question = h.slack.messages.find((m) => m.thread_ts);
    expect(question?.thread_ts).toBe(digest?.ts);
    expect(question?.channel).toBe("C1");
    const [action, value] = answerButtons(question ?? { blocks: [] })[0] ?? [];
    const clicked = await h.click(action ?? "", value ?? "");
    await h.slack.until(() => h.replies(clicked.responseId).length === 1);
    expect(h.replies(clicked.responseId)[0]).toMatch(/Correct|Not quite/);

    h.clock.set("2026-11-24T00:00:01Z");
    await h.bot.closeDueRounds();
    expect(question?.edits.at(-1)?.text).toContain("Results");
    const replies = h.slack.messages.filter((m) => m.thread_ts === digest?.ts && m !== question);
    expect(replies.map((m) => unescapeSlackText(m.text))).toEqual([expect.stringContaining("Results are in: the answer was")]);
  });
});
