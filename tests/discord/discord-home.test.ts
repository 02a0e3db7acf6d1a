import { afterEach, describe, expect, it } from "vitest";
import { type DiscordHarness, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { decodePng } from "../helpers/png.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

/** A quiz on net.tcp in the harness's channel, answered wrong by the default member, then closed. */
async function missedQuiz(): Promise<void> {
  await h.answer(h.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }]));
  const round = h.discord.messages.at(-1);
  const wrong = ((await latestRoundAnswer(h.db)) + 1) % 4;
  await h.answer(h.click(round?.components[0]?.components[wrong]?.custom_id ?? "", round?.id ?? ""));
  h.clock.advance(11 * 60_000);
  await h.bot.closeDueRounds();
}

describe("Discord: /study me", () => {
  it("answers with an ephemeral embed of the home and the streak picture attached, its alt text as the description", async () => {
    h = await startDiscordHarness();
    await missedQuiz();
    await missedQuiz();
    const token = h.command("study", "me");
    const reply = await h.answer(token);
    const [callback] = h.discord.repliesTo(token);
    expect(callback?.kind).toBe("callback:4");
    expect((callback?.body?.data as { flags?: number } | undefined)?.flags).toBe(64);
    const text = visibleText(reply);
    expect(text).toContain("User 0002: your study home");
    expect(text).toContain("Personal streak: 1 study day");
    expect(text).toContain("Rank this week: #1 of 1");
    expect(text).toContain("2 review cards due today.");
    expect(text).toContain("TCP (net.tcp): 0 of 2 right");
    const embed = (reply?.embeds as Array<{ image?: { url: string } }> | undefined)?.[0];
    expect(embed?.image?.url).toBe("attachment://streak-2026-11-23.png");
    const call = h.discord.calls.find((c) => c.path.includes(token) && c.files.length === 1);
    expect(call?.files[0]?.name).toBe("streak-2026-11-23.png");
    expect(decodePng(call?.files[0]?.data ?? Buffer.alloc(0)).width).toBeGreaterThan(200);
    // The same picture and alt text as /study streak's.
    const description = (c: typeof call) =>
      (c?.body?.data as { attachments?: Array<{ description?: string }> } | undefined)?.attachments?.[0]?.description;
    const streak = h.command("study", "streak");
    await h.answer(streak);
    const streakCall = h.discord.calls.find((c) => c.path.includes(streak) && c.files.length === 1);
    expect(description(call)).toMatch(/\S/);
    expect(description(call)).toBe(description(streakCall));
    expect(call?.files[0]?.data.equals(streakCall?.files[0]?.data ?? Buffer.alloc(0))).toBe(true);

    // Quiz me on Discord posts in the channel the member asked from.
    const buttons =
      (reply?.components as Array<{ components: Array<{ custom_id: string; label: string }> }> | undefined)?.[0]?.components ?? [];
    expect(buttons.map((b) => b.label)).toEqual(["Start review", "Quiz me: TCP"]);
    const posted = h.discord.messages.length;
    const quiz = await h.answer(h.click(buttons[1]?.custom_id ?? "", "300000000000000777"));
    expect(visibleText(quiz)).toBe("Quiz posted: answer with the buttons.");
    expect(h.discord.messages).toHaveLength(posted + 1);
    expect(h.discord.messages.at(-1)?.embeds[0]?.title).toBe("Quiz");
  });
});
