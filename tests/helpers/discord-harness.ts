import { readFileSync } from "node:fs";
import { DiscordAdapter } from "../../src/adapters/discord/discord-adapter.ts";
import { getMeta, setMeta } from "../../src/store/meta.repository.ts";
import { StudyBot } from "../../src/study-bot.ts";
import { FakeDiscord, nextId } from "./fake-discord.ts";
import { ManualClock } from "./manual-clock.ts";
import { fixtureDb, silentLog } from "./test-bot.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/discord/${name}`, import.meta.url), "utf8"));

export const guildId = "100000000000000001";
export const channelId = "200000000000000001";
/** Manage Server (0x20) plus the everyday permissions. */
export const adminPermissions = String(0x20 | 1024);

export interface Who {
  user?: string;
  /** The member's display name (global_name). */
  name?: string;
  guild?: string;
  channel?: string;
  permissions?: string;
  roles?: string[];
}

export interface DiscordHarness {
  discord: FakeDiscord;
  bot: StudyBot;
  adapter: DiscordAdapter;
  clock: ManualClock;
  db: Awaited<ReturnType<typeof fixtureDb>>;
  /** Dispatches a /study (or /study-admin) slash command; resolves with the interaction token. */
  command(
    name: "study" | "study-admin",
    subcommand: string,
    options?: Array<{ name: string; type: number; value: string }>,
    who?: Who,
  ): string;
  autocomplete(subcommand: string, value: string): string;
  click(customId: string, messageId: string, who?: Who): string;
  /** Submits a modal (type 5 interaction) with its text inputs, by custom id. */
  submitForm(customId: string, inputs: Record<string, string>, who?: Who): string;
  /** The final visible answer to an interaction: the edited deferred reply. */
  answer(token: string): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

function member(who: Who) {
  const id = who.user ?? "300000000000000002";
  return {
    user: { id, username: `user-${id.slice(-4)}`, global_name: who.name ?? `User ${id.slice(-4)}`, discriminator: "0", avatar: null },
    roles: who.roles ?? [],
    permissions: who.permissions ?? "1024",
    joined_at: "2026-01-01T00:00:00.000Z",
    deaf: false,
    mute: false,
    flags: 0,
  };
}

export async function startDiscordHarness(
  options: {
    now?: string;
    clock?: ManualClock;
    db?: Awaited<ReturnType<typeof fixtureDb>>;
    /** The core answers commands and clicks this much later (real time): Discord's 3-second rule then needs a deferral. */
    coreDelayMs?: number;
  } = {},
): Promise<DiscordHarness> {
  const discord = new FakeDiscord();
  await discord.start();
  const clock = options.clock ?? new ManualClock(options.now ?? "2026-11-23T10:00:00Z");
  const db = options.db ?? (await fixtureDb(clock));
  const bot = new StudyBot({ db, clock, defaults: { timezone: "UTC", language: "en" }, log: silentLog, random: () => 0 });
  const adapter = new DiscordAdapter({
    token: "test-token",
    apiUrl: discord.apiUrl,
    guildId,
    registry: { get: (key) => getMeta(db, key), set: (key, value) => setMeta(db, key, value) },
    log: process.env.DEBUG_DISCORD ? { info: console.log, warn: console.log, error: console.log } : silentLog,
    language: "en",
  });
  bot.addAdapter(adapter);
  const delay = options.coreDelayMs;
  const later = <T>(work: () => Promise<T>) => (delay ? new Promise((r) => setTimeout(r, delay)).then(work) : work());
  await adapter.start({
    command: (invocation) => later(() => bot.command(invocation)),
    click: (click) => later(() => bot.click(click)),
    suggestTopics: (...args) => bot.suggestTopics(...args),
    homeOpened: (...args) => bot.homeOpened(...args),
    workspaceRemoved: (...args) => bot.workspaceRemoved(...args),
  });

  const base = (name: string, who: Who) => {
    const payload = fixture(name);
    payload.id = nextId();
    payload.token = `token-${payload.id}`;
    payload.guild_id = who.guild ?? guildId;
    payload.channel_id = who.channel ?? channelId;
    payload.channel = { ...payload.channel, id: payload.channel_id, guild_id: payload.guild_id };
    payload.member = member(who);
    // What the bot may do in the channel: the permissions its invite granted.
    payload.app_permissions = String(discord.granted);
    return payload;
  };
  return {
    discord,
    bot,
    adapter,
    clock,
    db,
    command(name, subcommand, opts = [], who = {}) {
      const payload = base("slash-command.json", who);
      payload.data = { id: nextId(), name, type: 1, options: [{ type: 1, name: subcommand, options: opts }] };
      const user = opts.find((o) => o.type === 6);
      if (user)
        payload.data.resolved = {
          users: { [user.value]: { id: user.value, username: "target", global_name: null, discriminator: "0", avatar: null } },
        };
      const files = opts.filter((o) => o.type === 11);
      if (files.length > 0)
        payload.data.resolved = { attachments: Object.fromEntries(files.map((o) => [o.value, discord.attachment(o.value)])) };
      discord.interact(payload);
      return payload.token;
    },
    autocomplete(subcommand, value) {
      const payload = base("slash-command.json", {});
      payload.type = 4;
      payload.data = {
        id: nextId(),
        name: "study",
        type: 1,
        options: [{ type: 1, name: subcommand, options: [{ type: 3, name: "topic", value, focused: true }] }],
      };
      discord.interact(payload);
      return payload.token;
    },
    click(customId, messageId, who = {}) {
      const payload = base("button.json", who);
      payload.message = { ...payload.message, id: messageId, channel_id: payload.channel_id };
      payload.data = { custom_id: customId, component_type: 2 };
      discord.dispatch("INTERACTION_CREATE", payload);
      return payload.token;
    },
    async answer(token) {
      const final = (r: { kind: string }) => ["edit", "delete", "callback:4", "callback:9"].includes(r.kind);
      await discord.until(() => discord.repliesTo(token).some(final));
      const reply = discord.repliesTo(token).find(final);
      // A direct reply or a modal carries its content in `data`; an edit of a deferred reply is the content itself.
      return reply?.kind.startsWith("callback:") ? (reply.body?.data as Record<string, unknown>) : reply?.body;
    },
    submitForm(customId, inputs, who = {}) {
      const payload = base("slash-command.json", who);
      payload.type = 5;
      const rows = Object.entries(inputs).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] }));
      payload.data = { custom_id: customId, components: rows };
      discord.dispatch("INTERACTION_CREATE", payload);
      return payload.token;
    },
    async stop() {
      await adapter.stop();
      bot.stop();
      await discord.stop();
      await db.destroy();
      if (discord.unguarded.length > 0) throw new Error(`sent without allowed_mentions { parse: [] }: ${discord.unguarded.join(", ")}`);
    },
  };
}

/** The text a member sees in a reply or message: embed title, description, fields and footer, markdown escapes resolved. */
export function visibleText(body: Record<string, unknown> | undefined): string {
  if (!body) return "";
  const embeds = (body.embeds as Array<Record<string, unknown>> | undefined) ?? [];
  const parts = [String(body.content ?? "")];
  for (const e of embeds) {
    parts.push(String(e.title ?? ""), String(e.description ?? ""));
    for (const f of (e.fields as Array<{ name: string; value: string }> | undefined) ?? []) parts.push(`${f.name}: ${f.value}`);
    parts.push(String((e.footer as { text?: string } | undefined)?.text ?? ""));
  }
  // Discord shows a backslash-escaped character as the character itself.
  return parts
    .filter(Boolean)
    .join("\n")
    .replace(/\\([^\w\s])/g, "$1");
}
