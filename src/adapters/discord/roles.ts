import { DiscordAPIError, PermissionFlagsBits, type REST, Routes } from "discord.js";

interface ApiRole {
  id: string;
  name: string;
  position: number;
  permissions: string;
}

/**
 * Gives a server role to `to` (to nobody when undefined: a hidden champion) and takes it from `from`. Checked first
 * against the server as REST shows it (the bot's Manage Roles, the role below the bot's highest), so the error says
 * which; a last holder who left is skipped, a new one who left is named. REST only: it needs no gateway cache.
 */
export async function moveRole(
  rest: REST,
  guildId: string,
  roleId: string,
  from: string | undefined,
  to: string | undefined,
): Promise<void> {
  const [roles, me] = await Promise.all([
    rest.get(Routes.guildRoles(guildId)) as Promise<ApiRole[]>,
    rest.get(Routes.user()) as Promise<{ id: string }>,
  ]);
  const member = (await rest.get(Routes.guildMember(guildId, me.id))) as { roles: string[] };
  const role = roles.find((r) => r.id === roleId);
  if (!role) throw new Error("the role no longer exists");
  // @everyone's id is the server's; the bot's permissions are its roles' together.
  const mine = roles.filter((r) => r.id === guildId || member.roles.includes(r.id));
  const permissions = mine.reduce((all, r) => all | BigInt(r.permissions), 0n);
  const granted = (flag: bigint) => (permissions & (flag | PermissionFlagsBits.Administrator)) !== 0n;
  if (!granted(PermissionFlagsBits.ManageRoles)) throw new Error("the bot lacks the Manage Roles permission");
  const highest = mine.reduce((top, r) => (r.position > top.position ? r : top), mine[0] ?? role);
  if (role.position >= highest.position) {
    throw new Error(`the role ${role.name} is not below the bot's highest role (${highest.name}): move it lower`);
  }
  const unknownMember = (error: unknown) => error instanceof DiscordAPIError && error.code === 10007;
  if (from) {
    await rest.delete(Routes.guildMemberRole(guildId, from, roleId)).catch((error) => {
      if (!unknownMember(error)) throw error;
    });
  }
  if (!to) return;
  await rest.put(Routes.guildMemberRole(guildId, to, roleId)).catch((error) => {
    throw unknownMember(error) ? new Error("the new champion has left the server") : error;
  });
}
