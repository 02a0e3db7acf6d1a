import { PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import * as time from "../../src/core/local-time.ts";
import { addScore } from "../../src/store/progress.repository.ts";
import { ensureMember } from "../../src/store/workspaces.repository.ts";
import { type DiscordHarness, guildId, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";
import { botRoleId, championRoleId } from "../helpers/fake-discord-guild.ts";

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

const admin = { user: "310000000000000099", name: "Lead", permissions: String(PermissionFlagsBits.ManageGuild) };
const ana = "310000000000000001";
const bo = "310000000000000002";
const cy = "310000000000000003";
const names: Record<string, string> = { [ana]: "Ana", [bo]: "Bo", [cy]: "Cy" };

/** A member earns points on a day (as answering does), so that they lead that month's board. */
async function scored(user: string, date: string, points: number) {
  const workspaceId = `discord:${guildId}`;
  const memberId = `${workspaceId}:${user}`;
  await ensureMember(h.db, { id: memberId, workspaceId, externalId: user, displayName: names[user] ?? user }, h.clock.now());
  const at = `${date}T10:00:00.000Z`;
  await addScore(h.db, {
    workspaceId,
    memberId,
    points,
    answered: 1,
    correct: 1,
    at,
    week: time.startOfWeek(date),
    month: time.startOfMonth(date),
  });
}

/** The digest pass at 09:00 on a day; returns the messages it posted. */
async function rollover(date: string) {
  const before = h.discord.messages.length;
  h.clock.set(`${date}T09:00:00Z`);
  await h.bot.runDueDigests();
  await h.bot.runDueDigests();
  return h.discord.messages.slice(before).map((m) => visibleText({ embeds: m.embeds }));
}

async function configText() {
  return visibleText(await h.answer(h.command("study", "config", [], admin)));
}

const rolesOf = (user: string) => [...(h.discord.guildRoles.members.get(user) ?? [])];

/** A server admin changes a role (the bot reads roles through REST when it moves one). */
async function changeRole(id: string, change: { permissions?: bigint; position?: number }) {
  h.discord.updateRole(id, change);
}

describe("Discord: seasons and the champion role", () => {
  it("posts the standings once before the digest and moves the champion role from the last champion to the new one", async () => {
    h = await startDiscordHarness({ now: "2026-10-05T08:00:00Z" });
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], admin));
    const roleSet = h.command(
      "study-admin",
      "config",
      [
        { name: "key", type: 3, value: "champion-role" },
        { name: "value", type: 3, value: `<@&${championRoleId}>` },
      ],
      admin,
    );
    await h.answer(roleSet);
    h.discord.guildRoles.members.set(ana, new Set());
    h.discord.guildRoles.members.set(bo, new Set());
    await changeRole(botRoleId, { permissions: PermissionFlagsBits.ManageRoles });
    await scored(ana, "2026-10-06", 40);
    await scored(bo, "2026-10-07", 20);
    await scored(bo, "2026-11-03", 50);
    await scored(ana, "2026-11-04", 10);

    const november = await rollover("2026-11-02");
    expect(november[0]).toContain("Season October 2026: final standings");
    expect(november[1]).toContain("Today's architecture article");
    expect(november.filter((text) => text.includes("final standings"))).toHaveLength(1);
    expect(rolesOf(ana)).toEqual([championRoleId]);

    const december = await rollover("2026-12-01");
    expect(december[0]).toContain("Season November 2026: final standings");
    expect(december[0]).toContain("🏆 Bo");
    expect(rolesOf(ana)).toEqual([]);
    expect(rolesOf(bo)).toEqual([championRoleId]);
    expect(await configText()).toContain(`champion-role: ${championRoleId}: moved to Bo for November 2026`);
  });

  it("reports a missing Manage Roles, a role above the bot's, and a champion who left in /study config, and posts the standings anyway", async () => {
    h = await startDiscordHarness({ now: "2026-10-05T08:00:00Z" });
    await h.answer(h.command("study-admin", "subscribe", [{ name: "time", type: 3, value: "09:00" }], admin));
    await h.answer(
      h.command(
        "study-admin",
        "config",
        [
          { name: "key", type: 3, value: "champion-role" },
          { name: "value", type: 3, value: championRoleId },
        ],
        admin,
      ),
    );
    h.discord.guildRoles.members.set(ana, new Set());
    h.discord.guildRoles.members.set(bo, new Set());
    await scored(ana, "2026-10-06", 40);
    await scored(bo, "2026-11-03", 50);
    await scored(cy, "2026-12-02", 30);

    // The invite does not ask for Manage Roles.
    expect((await rollover("2026-11-02"))[0]).toContain("Season October 2026: final standings");
    expect(await configText()).toContain("not moved for October 2026: the bot lacks the Manage Roles permission");
    expect(rolesOf(ana)).toEqual([]);

    // Granted, but the champion role sits above the bot's own role.
    await changeRole(botRoleId, { permissions: PermissionFlagsBits.ManageRoles });
    await changeRole(championRoleId, { position: 4 });
    expect((await rollover("2026-12-01"))[0]).toContain("Season November 2026: final standings");
    expect(await configText()).toContain("not moved for November 2026: the role Champion is not below the bot's highest role (study-bot)");

    // Moved below it, but December's champion has left the server.
    await changeRole(championRoleId, { position: 2 });
    expect((await rollover("2027-01-01"))[0]).toContain("Season December 2026: final standings");
    expect(await configText()).toContain("not moved for December 2026: the new champion has left the server");
    expect(rolesOf(bo)).toEqual([]);
  });

  it("refuses champion-role where there are no roles to move", async () => {
    h = await startDiscordHarness();
    const wrong = h.command(
      "study-admin",
      "config",
      [
        { name: "key", type: 3, value: "champion-role" },
        { name: "value", type: 3, value: "#general" },
      ],
      admin,
    );
    expect(visibleText(await h.answer(wrong))).toContain('"#general" is not a role');
  });
});
