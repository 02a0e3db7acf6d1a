import { PermissionFlagsBits } from "discord.js";

export const championRoleId = "500000000000000003";
export const botRoleId = "500000000000000009";

type Role = { id: string; name: string; position: number; permissions: bigint };
type Answer = { status: number; body?: unknown };

/**
 * A server's roles and members as Discord keeps them, with the REST routes that read and change them and Discord's
 * rules for changing a member's roles (Manage Roles, and only roles below the bot's highest).
 */
export class FakeRoles {
  /**
   * The roles below @everyone, in position order: a member role (squads), the champion role, and the bot's own role,
   * highest, whose permissions are what the invite granted (Manage Roles is not among them) plus its own.
   */
  readonly roles: Role[] = [
    { id: "500000000000000001", name: "infra", position: 1, permissions: 1024n },
    { id: championRoleId, name: "Champion", position: 2, permissions: 0n },
    { id: botRoleId, name: "study-bot", position: 3, permissions: 0n },
  ];
  /** Members of the server (user id -> role ids); role changes for anyone else get 10007 Unknown Member. */
  readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly botId: string,
    private readonly granted: () => bigint,
  ) {}

  /** Every role of the server, @everyone first, as Discord sends them. */
  all(guildId: string) {
    return [{ id: guildId, name: "@everyone", position: 0, permissions: 1024n }, ...this.roles].map((role) => this.payload(role));
  }

  payload(role: Role) {
    const permissions = role.id === botRoleId ? this.granted() | role.permissions : role.permissions;
    return { ...role, permissions: String(permissions), color: 0, hoist: false, managed: role.id === botRoleId, mentionable: false };
  }

  /** The bot's own member, which Discord sends with the server (discord.js's guild.members.me). */
  botMember() {
    const user = { id: this.botId, username: "study-bot", discriminator: "0", global_name: null, avatar: null, bot: true };
    return { user, roles: [botRoleId], joined_at: "2026-01-01T00:00:00.000Z", deaf: false, mute: false, flags: 0 };
  }

  /** Changes a role as a server admin would; returns it as the gateway's GUILD_ROLE_UPDATE carries it. */
  update(id: string, change: { permissions?: bigint; position?: number }) {
    const role = this.roles.find((r) => r.id === id);
    if (!role) throw new Error(`fake Discord: no role ${id}`);
    Object.assign(role, change);
    return this.payload(role);
  }

  /** GET /guilds/:id/roles, GET /guilds/:id/members/:id, PUT and DELETE /guilds/:id/members/:id/roles/:id. */
  route(method: string, path: string): Answer | undefined {
    const guildRoles = /^\/guilds\/(\d+)\/roles$/.exec(path);
    if (method === "GET" && guildRoles) return { status: 200, body: this.all(guildRoles[1] as string) };
    const guildMember = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path);
    if (method === "GET" && guildMember) {
      const user = guildMember[2] as string;
      const roles = user === this.botId ? [botRoleId] : this.members.get(user);
      if (!roles) return { status: 404, body: { code: 10007, message: "Unknown Member" } };
      const body = {
        user: { id: user, username: `user-${user.slice(-4)}`, discriminator: "0" },
        roles: [...roles],
        joined_at: "2026-01-01T00:00:00.000Z",
      };
      return { status: 200, body };
    }
    const memberRole = /^\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/.exec(path);
    if (!memberRole || (method !== "PUT" && method !== "DELETE")) return undefined;
    const [, , user, roleId] = memberRole as unknown as [string, string, string, string];
    const role = this.roles.find((r) => r.id === roleId);
    const bot = this.roles.find((r) => r.id === botRoleId);
    if (!role) return { status: 404, body: { code: 10011, message: "Unknown Role" } };
    const canManage = ((this.granted() | (bot?.permissions ?? 0n)) & PermissionFlagsBits.ManageRoles) !== 0n;
    if (!canManage || role.position >= (bot?.position ?? 0)) return { status: 403, body: { code: 50013, message: "Missing Permissions" } };
    const roles = this.members.get(user);
    if (!roles) return { status: 404, body: { code: 10007, message: "Unknown Member" } };
    if (method === "PUT") roles.add(roleId);
    else roles.delete(roleId);
    return { status: 204 };
  }
}

/** A server as GUILD_CREATE sends it: its channels, its roles and the bot's own member. */
export function guildPayload(guild: { id: string; channels: string[] }, roles: FakeRoles) {
  return {
    id: guild.id,
    name: "Backend Team",
    unavailable: false,
    owner_id: "300000000000000001",
    member_count: 3,
    joined_at: "2026-01-01T00:00:00.000Z",
    channels: guild.channels.map((id, position) => ({
      id,
      type: 0,
      name: `study-${position}`,
      position,
      permission_overwrites: [],
      guild_id: guild.id,
    })),
    roles: roles.all(guild.id),
    // Discord sends the bot's own member with the server: discord.js's guild.members.me.
    members: [roles.botMember()],
    emojis: [],
    stickers: [],
    features: [],
    voice_states: [],
    presences: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}
