import { afterEach, describe, expect, it } from "vitest";
import { type DiscordHarness, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

const member = "310000000000000007";
const memberId = `discord:100000000000000001:${member}`;

describe("Discord: /study forget-me", () => {
  it("asks in an ephemeral reply with Delete my data and Cancel; another member's click is refused; the asker's deletes", async () => {
    h = await startDiscordHarness();
    await h.answer(h.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }]));
    const round = h.discord.messages[0];
    if (!round) throw new Error("no round");
    const right = round.components[0]?.components[await latestRoundAnswer(h.db)]?.custom_id ?? "";
    await h.answer(h.click(right, round.id, { user: member }));

    const token = h.command("study", "forget-me", [], { user: member });
    const asked = await h.answer(token);
    expect((h.discord.repliesTo(token)[0]?.body?.data as { flags?: number } | undefined)?.flags).toBe(64);
    expect(visibleText(asked)).toContain("• 1 quiz answers and 0 articles marked read");
    const buttons = ((asked?.components as Array<{ components: Array<{ custom_id: string; label: string }> }> | undefined) ?? []).flatMap(
      (row) => row.components,
    );
    expect(buttons.map((b) => b.label)).toEqual(["Delete my data", "Cancel"]);
    const confirm = buttons[0]?.custom_id ?? "";

    const stranger = await h.answer(h.click(confirm, round.id, { user: "310000000000000008" }));
    expect(visibleText(stranger)).toContain("Only the member who asked can confirm this");
    expect(await h.db.selectFrom("members").select("id").where("id", "=", memberId).executeTakeFirst()).toBeDefined();

    expect(visibleText(await h.answer(h.click(confirm, round.id, { user: member })))).toContain(
      "Done: your study data in this workspace is deleted.",
    );
    expect(await h.db.selectFrom("members").select("id").where("id", "=", memberId).executeTakeFirst()).toBeUndefined();
    expect(await h.db.selectFrom("answers").selectAll().execute()).toEqual([]);
  });
});
