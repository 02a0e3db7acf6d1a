import { afterEach, describe, expect, it } from "vitest";
import { answerButtons, type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

/** `/study <text>` from a user; resolves with the ephemeral replies it got. */
async function privately(text: string, user: string, name: string) {
  const sent = await h.command(text, { user, name });
  await h.slack.until(() => h.replies(sent.responseId).length === 1);
  return h.replies(sent.responseId).join("\n");
}

describe("Slack: /study privacy", () => {
  it("a hidden member is 'a member' on a posted board and a round's results, and counts for the team streak", async () => {
    h = await startSlackHarness();
    expect(await privately("privacy hide", "UANA", "ana")).toContain('public posts show you as "a member"');

    await h.command("quiz net.tcp");
    await h.slack.until(() => h.slack.messages.length === 1);
    const round = h.slack.messages[0];
    if (!round) throw new Error("no round");
    const right = answerButtons(round)[await latestRoundAnswer(h.db)] as [string, string];
    for (const [user, name] of [
      ["UANA", "ana"],
      ["UBO", "bo"],
    ]) {
      const click = await h.click(...right, { user, name });
      await h.slack.until(() => h.replies(click.responseId).length === 1);
      h.clock.advance(1000);
    }
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();
    const results = round.edits.at(-1)?.text ?? "";
    expect(results).toContain("Right (fastest first): a member, bo");
    expect(results).not.toMatch(/\bana\b/);

    await h.command("leaderboard", { user: "UBO", name: "bo" });
    await h.slack.until(() => h.slack.messages.some((m) => m.text.startsWith("Leaderboard")));
    const board = h.slack.messages.find((m) => m.text.startsWith("Leaderboard"));
    expect(board?.text).toMatch(/1[\s|]+a member[\s|]+\d+[\s|]+100%/);
    expect(board?.text).toMatch(/2[\s|]+bo[\s|]+\d+[\s|]+100%/);
    expect(JSON.stringify(board?.blocks)).not.toMatch(/\bana\b|UANA/);

    // Two members studied today (quorum 2), one of them hidden: the team's day counts.
    expect(await privately("streak", "UBO", "bo")).toContain("Team streak: 1 study day");
    expect(await privately("streak", "UANA", "ana")).toContain("Streak: ana");
  });
});
