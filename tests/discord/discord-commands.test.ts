import { REST, Routes } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { commandDefinitions } from "../../src/adapters/discord/commands.ts";
import { type CommandDefinition, registrationErrors } from "../helpers/discord-command-rules.ts";
import { adminPermissions, type DiscordHarness, guildId, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { appId } from "../helpers/fake-discord.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

describe("Discord: connection and command registration", () => {
  it("identifies with the Guilds intent only and registers the command definitions in the guild", async () => {
    h = await startDiscordHarness();
    expect(h.discord.identifies).toHaveLength(1);
    expect((h.discord.identifies[0] as { intents: number }).intents).toBe(1);
    const registration = h.discord.calls.find((c) => c.method === "PUT");
    expect(registration?.path).toBe(`/applications/${appId}/guilds/100000000000000001/commands`);
    expect(registration?.auth).toBe("Bot test-token");
    expect(registration?.body).toEqual(commandDefinitions());
    const admin = commandDefinitions().find((c) => c.name === "study-admin");
    expect(admin?.default_member_permissions).toBe("32");
    // Guild install only (0): a user-installed /study in a server without the bot could not post there.
    expect(commandDefinitions().map((c) => c.integration_types)).toEqual([[0], [0]]);
  });

  it("registers only what Discord accepts: the fake answers 50035 to a definition that breaks Discord's limits", async () => {
    h = await startDiscordHarness();
    expect(registrationErrors(commandDefinitions() as unknown as CommandDefinition[])).toEqual([]);
    const [study] = commandDefinitions();
    const tooLong = { ...study, description: "x".repeat(101) };
    const rest = new REST({ api: h.discord.apiUrl, retries: 0 }).setToken("test-token");
    await expect(rest.put(Routes.applicationGuildCommands(appId, guildId), { body: [tooLong] })).rejects.toMatchObject({ code: 50035 });
  });

  it("does not register again on a restart when the definitions did not change", async () => {
    h = await startDiscordHarness();
    const { db, clock } = h;
    await h.adapter.stop();
    await h.discord.stop();
    const again = await startDiscordHarness({ db, clock });
    expect(again.discord.calls.filter((c) => c.method === "PUT")).toHaveLength(0);
    h = again;
  });
});

describe("Discord: hostile names", () => {
  it("keep a display name inside the leaderboard's code block and out of markdown, with no mention allowed", async () => {
    h = await startDiscordHarness();
    const name = "x``` **bold** [click](http://evil.example) @everyone";
    await h.answer(h.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }], { name }));
    const [round] = h.discord.messages;
    await h.answer(h.click(round?.components[0]?.components[0]?.custom_id ?? "", round?.id ?? "", { name }));
    await h.answer(h.command("study", "leaderboard", [{ name: "window", type: 3, value: "week" }]));
    const board = String(h.discord.messages.at(-1)?.embeds[0]?.description);
    // Only the block's own fences; the name's backticks are look-alikes, so nothing after it renders as markdown.
    expect(board.match(/```/g)).toHaveLength(2);
    expect(board).toContain("xˋˋˋ **bold** [click](http://evil.example) @everyone");
    // Outside a code block (the streak's title) the markdown is escaped, and reads as typed.
    const streak = await h.answer(h.command("study", "streak", [], { name }));
    const title = String((streak?.embeds as Array<{ title: string }> | undefined)?.[0]?.title);
    expect(title).toContain("\\*\\*bold\\*\\*");
    expect(title).not.toMatch(/(?<!\\)\[click\]\(/);
    expect(visibleText(streak)).toContain(`Streak: ${name}`);
  });
});

describe("Discord: /study subcommands", () => {
  it("answers a quick command with one ephemeral reply", async () => {
    h = await startDiscordHarness();
    const token = h.command("study", "help");
    const reply = await h.answer(token);
    const callbacks = h.discord.repliesTo(token);
    expect(callbacks.map((c) => c.kind)).toEqual(["callback:4"]);
    expect((callbacks[0]?.body?.data as { flags?: number })?.flags).toBe(64);
    expect(visibleText(reply)).toContain("/study quiz [topic]");
  });

  it("defers when the core takes longer than 2 seconds, then edits the ephemeral reply", async () => {
    h = await startDiscordHarness({ coreDelayMs: 2_500 });
    const token = h.command("study", "help");
    const reply = await h.answer(token);
    const callbacks = h.discord.repliesTo(token);
    expect(callbacks.map((c) => c.kind)).toEqual(["callback:5", "edit"]);
    expect((callbacks[0]?.body?.data as { flags?: number })?.flags).toBe(64);
    expect(visibleText(reply)).toContain("/study quiz [topic]");
  });

  it("posts a quiz as an embed with one button per choice, at most 5 per row", async () => {
    h = await startDiscordHarness();
    const token = h.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }]);
    expect(visibleText(await h.answer(token))).toContain("Quiz posted");
    const [round] = h.discord.messages;
    expect(round?.embeds[0]?.title).toBe("Quiz");
    expect(String(round?.embeds[0]?.footer && (round.embeds[0].footer as { text: string }).text)).toContain(
      "Closes 2026-11-23 10:10 (UTC)",
    );
    // Four choices and the 50/50 fill one row of five.
    expect(round?.components).toHaveLength(1);
    expect(round?.components[0]?.components.map((b) => b.label)).toEqual(["A", "B", "C", "D", "50/50"]);
  });

  it("answers digest, streak, leaderboard, topics and config", async () => {
    h = await startDiscordHarness();
    expect(visibleText(await h.answer(h.command("study", "digest")))).toMatch(/\[Original\]\(http:\/\/highscalability\.com/);
    expect(visibleText(await h.answer(h.command("study", "streak", [{ name: "member", type: 6, value: "300000000000000099" }])))).toContain(
      "No member",
    );
    expect(visibleText(await h.answer(h.command("study", "topics")))).toContain("Roadmap topics");
    expect(visibleText(await h.answer(h.command("study", "config")))).toContain("timezone");
    const board = h.command("study", "leaderboard", [{ name: "window", type: 3, value: "month" }]);
    await h.answer(board);
    expect(h.discord.repliesTo(board).at(-1)?.kind).toBe("delete");
    expect(h.discord.messages.at(-1)?.embeds[0]?.title).toBe("Leaderboard: this month");
  });

  it("posts a leaderboard once per cooldown, and again at once when the post was refused", async () => {
    h = await startDiscordHarness();
    const week = [{ name: "window", type: 3, value: "week" }];
    h.discord.failNext("POST /channels/:id/messages", { status: 403, code: 50013, message: "Missing Permissions" });
    expect(visibleText(await h.answer(h.command("study", "leaderboard", week)))).toContain("I cannot post in this channel");
    // Permissions granted: the refused post started no cooldown.
    h.clock.advance(5000);
    await h.answer(h.command("study", "leaderboard", week));
    expect(h.discord.messages.map((m) => m.embeds[0]?.title)).toEqual(["Leaderboard: this week"]);
    h.clock.advance(7000);
    expect(visibleText(await h.answer(h.command("study", "leaderboard", week)))).toBe(
      '"Leaderboard: this week" was posted here 7 s ago: scroll up.',
    );
    expect(h.discord.messages).toHaveLength(1);
  });

  it("suggests topics for autocomplete", async () => {
    h = await startDiscordHarness();
    const token = h.autocomplete("quiz", "tc");
    await h.discord.until(() => h.discord.repliesTo(token).length === 1);
    const [callback] = h.discord.repliesTo(token);
    expect(callback?.kind).toBe("callback:8");
    const data = callback?.body?.data as { choices: Array<{ value: string }> } | undefined;
    expect(data?.choices.map((c) => c.value)).toEqual(["net.tcp"]);
  });

  it("maps a role to a squad, learning members' roles from their interactions", async () => {
    h = await startDiscordHarness();
    const role = "500000000000000001";
    await h.answer(
      h.command(
        "study-admin",
        "config",
        [
          { name: "key", type: 3, value: "squad" },
          { name: "value", type: 3, value: `infra <@&${role}>` },
        ],
        { permissions: adminPermissions },
      ),
    );
    expect(visibleText({ embeds: h.discord.messages.at(-1)?.embeds })).toContain(`Squad infra is now the group ${role}.`);
    await h.answer(h.command("study", "help", [], { user: "300000000000000007", roles: [role] }));
    const board = h.command("study", "leaderboard", [{ name: "window", type: 3, value: "squads" }]);
    await h.answer(board);
    expect(visibleText({ embeds: h.discord.messages.at(-1)?.embeds })).toMatch(/1\s+infra\s+0\s+0\s+0/);
    const seen = await h.db.selectFrom("member_groups").selectAll().execute();
    expect(seen.map((g) => [g.member_id, g.group_id])).toContainEqual(["discord:100000000000000001:300000000000000007", role]);
  });

  it("refuses /study-admin to a member without Manage Server and lets one with it", async () => {
    h = await startDiscordHarness();
    // Discord hides /study-admin from members without Manage Server unless the server opened it to everyone.
    expect(() => h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }])).toThrow(/hidden from members/);
    h.discord.openToEveryone.add("study-admin");
    const refused = h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }]);
    expect(visibleText(await h.answer(refused))).toContain("Only a server admin (Manage Server) can do that.");
    const allowed = h.command(
      "study-admin",
      "config",
      [
        { name: "key", type: 3, value: "timezone" },
        { name: "value", type: 3, value: "Asia/Shanghai" },
      ],
      { permissions: adminPermissions },
    );
    await h.answer(allowed);
    expect(visibleText({ embeds: h.discord.messages.at(-1)?.embeds })).toContain("timezone is now Asia/Shanghai");
    const unsubscribe = h.command("study-admin", "unsubscribe", [], { permissions: adminPermissions });
    expect(visibleText(await h.answer(unsubscribe))).toContain("This channel is not subscribed.");
  });
});
