import { type DiscordAPIError, REST, Routes } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { adminPermissions, channelId, type DiscordHarness, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { csvRecords, readAsAnki } from "../helpers/exported-files.ts";
import { maxRequestBytes } from "../helpers/fake-discord.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

const member = "300000000000000002";

/** The member answers a quiz on net.tcp wrongly. */
async function missOne(harness: DiscordHarness): Promise<void> {
  await harness.answer(harness.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }]));
  const round = harness.discord.messages[0];
  if (!round) throw new Error("no round");
  const buttons = round.components.flatMap((row) => row.components.map((b) => b.custom_id)).filter((id) => id.startsWith("answer|"));
  const wrong = buttons[((await latestRoundAnswer(harness.db)) + 1) % buttons.length] as string;
  await harness.answer(harness.click(wrong, round.id));
}

/** The files sent with the answer to an interaction. */
const filesFor = (harness: DiscordHarness, token: string) =>
  harness.discord.calls.filter((c) => c.path.includes(token)).flatMap((c) => c.files);

describe("Discord: /study export", () => {
  it("answers with an ephemeral reply carrying the two files; the team's comes from /study-admin export, for admins only", async () => {
    h = await startDiscordHarness();
    const registered = h.discord.registered.values().next().value ?? [];
    const admin = registered.find((c) => c.name === "study-admin");
    const adminExport = (admin?.options ?? []).find((o) => o.name === "export") as {
      options?: Array<{ name: string; required?: boolean }>;
    };
    expect(adminExport?.options?.map((o) => [o.name, o.required])).toEqual([["what", true]]);
    await missOne(h);

    const token = h.command("study", "export");
    const body = await h.answer(token);
    expect(visibleText(body)).toContain("The files are attached below; only you see them.");
    const files = filesFor(h, token);
    expect(files.map((f) => f.name)).toEqual(["study-history-2026-11-23.csv", "study-missed-2026-11-23.txt"]);
    // Ephemeral: the interaction's first answer (the reply, or its deferral) carries flag 64, which its edit keeps.
    const first = h.discord.repliesTo(token)[0]?.body?.data as { flags?: number } | undefined;
    expect(Number(first?.flags) & 64).toBe(64);
    expect(csvRecords(files[0]?.data ?? Buffer.alloc(0)).map((r) => [r.kind, r.correct])).toEqual([["answer", "0"]]);
    expect(readAsAnki(files[1]?.data ?? Buffer.alloc(0)).notes.map((n) => n.tags)).toEqual([["net.tcp"]]);
    expect(h.discord.messages).toHaveLength(1);

    // A server that opened /study-admin to everyone still refuses a member the team's export.
    h.discord.openToEveryone.add("study-admin");
    const refused = h.command("study-admin", "export", [{ name: "what", type: 3, value: "team" }], { permissions: "1024" });
    expect(visibleText(await h.answer(refused))).toContain("Only a server admin (Manage Server) can do that.");
    expect(filesFor(h, refused)).toEqual([]);
    const team = h.command("study-admin", "export", [{ name: "what", type: 3, value: "team" }], { permissions: adminPermissions });
    expect(visibleText(await h.answer(team))).toContain("team-weeks-2026-11-23.csv");
    const teamFiles = filesFor(h, team);
    expect(teamFiles.map((f) => f.name)).toEqual(["team-weeks-2026-11-23.csv", "team-topics-2026-11-23.csv"]);
    expect(csvRecords(teamFiles[0]?.data ?? Buffer.alloc(0)).map((r) => [r.member, r.user_id, r.answers])).toEqual([
      ["User 0002", member, "1"],
    ]);
  });
});

describe("fake Discord: attachments", () => {
  it("refuses a message with more than 10 files or more than 25 MiB", async () => {
    h = await startDiscordHarness();
    const rest = new REST({ api: h.discord.apiUrl, retries: 0 }).setToken("test-token");
    const send = (files: Array<{ name: string; data: Buffer }>) =>
      rest.post(Routes.channelMessages(channelId), { body: { content: "files", allowed_mentions: { parse: [] } }, files }).then(
        () => undefined,
        (error: DiscordAPIError) => error.code,
      );
    const small = (i: number) => ({ name: `f${i}.txt`, data: Buffer.from("x") });
    expect(await send(Array.from({ length: 10 }, (_, i) => small(i)))).toBeUndefined();
    expect(await send(Array.from({ length: 11 }, (_, i) => small(i)))).toBe(50035);
    expect(await send([{ name: "big.bin", data: Buffer.alloc(maxRequestBytes) }])).toBe(40005);
  });
});
