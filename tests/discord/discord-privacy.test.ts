import { PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import * as time from "../../src/core/local-time.ts";
import { addScore } from "../../src/store/progress.repository.ts";
import { type DiscordHarness, guildId, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { botRoleId, championRoleId } from "../helpers/fake-discord-guild.ts";
import { latestRoundAnswer } from "../helpers/test-bot.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

const ana = { user: "310000000000000001", name: "Ana" };
const bo = { user: "310000000000000002", name: "Bo" };
const admin = { user: "310000000000000099", name: "Lead", permissions: String(PermissionFlagsBits.ManageGuild) };
const hide = [{ name: "choice", type: 3, value: "hide" }];

describe("Discord: /study privacy", () => {
  it("a hidden member is 'a member' on a posted board and a round's results, and counts for the team streak", async () => {
    h = await startDiscordHarness();
    expect(visibleText(await h.answer(h.command("study", "privacy", hide, ana)))).toContain('public posts show you as "a member"');

    await h.answer(h.command("study", "quiz", [{ name: "topic", type: 3, value: "net.tcp" }]));
    const round = h.discord.messages[0];
    if (!round) throw new Error("no round");
    const buttons = round.components.flatMap((row) => row.components.map((b) => b.custom_id)).filter((id) => id.startsWith("answer|"));
    const right = buttons[await latestRoundAnswer(h.db)] as string;
    await h.answer(h.click(right, round.id, ana));
    h.clock.advance(1000);
    await h.answer(h.click(right, round.id, bo));
    h.clock.advance(11 * 60_000);
    await h.bot.closeDueRounds();
    const results = visibleText(round.edits.at(-1));
    expect(results).toContain("Right (fastest first): a member, Bo");
    expect(results).not.toMatch(/\bAna\b/);

    await h.answer(h.command("study", "leaderboard", [{ name: "window", type: 3, value: "week" }], bo));
    const board = String(h.discord.messages.at(-1)?.embeds[0]?.description);
    expect(board).toMatch(/1[\s|]+a member[\s|]+\d+[\s|]+100%/);
    expect(board).toMatch(/2[\s|]+Bo[\s|]+\d+[\s|]+100%/);
    expect(board).not.toMatch(/\bAna\b/);

    // Two members studied today (quorum 2), one of them hidden: the team's day counts.
    expect(visibleText(await h.answer(h.command("study", "streak", [], bo)))).toContain("Team streak: 1 study day");
    expect(visibleText(await h.answer(h.command("study", "streak", [], ana)))).toContain("Streak: Ana");
    expect(visibleText(await h.answer(h.command("study", "privacy", [], admin)))).toContain("Hidden members (admins see this): Ana.");
  });

  it("a hidden champion gets no champion role: it leaves the last champion (even when that is them) and goes to nobody; /study config says why", async () => {
    h = await startDiscordHarness({ now: "2026-10-05T08:00:00Z" });
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], admin));
    await h.answer(
      h.command(
        "study-admin",
        "config",
        [
          { name: "key", type: 3, value: "champion-role" },
          { name: "value", type: 3, value: `<@&${championRoleId}>` },
        ],
        admin,
      ),
    );
    h.discord.guildRoles.members.set(ana.user, new Set());
    h.discord.guildRoles.members.set(bo.user, new Set());
    h.discord.updateRole(botRoleId, { permissions: PermissionFlagsBits.ManageRoles });
    const workspaceId = `discord:${guildId}`;
    const scored = async (who: { user: string }, date: string, points: number) => {
      const at = `${date}T10:00:00.000Z`;
      const week = time.startOfWeek(date);
      const month = time.startOfMonth(date);
      await addScore(h.db, { workspaceId, memberId: `${workspaceId}:${who.user}`, points, answered: 1, correct: 1, at, week, month });
    };
    // Both are stored as members by a privacy choice. ana is October's champion and wears the role; she hides, and wins November too.
    await h.answer(h.command("study", "privacy", [{ name: "choice", type: 3, value: "show" }], bo));
    await h.answer(h.command("study", "privacy", [{ name: "choice", type: 3, value: "show" }], ana));
    await scored(ana, "2026-10-06", 40);
    await scored(bo, "2026-10-07", 20);
    await scored(ana, "2026-11-03", 50);
    await scored(bo, "2026-11-04", 10);

    h.clock.set("2026-11-02T09:00:00Z");
    await h.bot.runDueDigests();
    expect([...(h.discord.guildRoles.members.get(ana.user) ?? [])]).toEqual([championRoleId]);
    await h.answer(h.command("study", "privacy", hide, ana));

    const before = h.discord.messages.length;
    h.clock.set("2026-12-01T09:00:00Z");
    await h.bot.runDueDigests();
    const standings = h.discord.messages.slice(before).map((m) => visibleText({ embeds: m.embeds }));
    expect(standings[0]).toContain("Champion: 🏆 a member");
    expect(standings[0]).not.toMatch(/\bAna\b/);
    expect([...(h.discord.guildRoles.members.get(ana.user) ?? [])]).toEqual([]);
    expect([...(h.discord.guildRoles.members.get(bo.user) ?? [])]).toEqual([]);
    expect(visibleText(await h.answer(h.command("study", "config", [], admin)))).toContain(
      `champion-role: ${championRoleId}: not given for November 2026: the champion is hidden (/study privacy hide)`,
    );
  });
});
