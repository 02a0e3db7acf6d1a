import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PermissionFlagsBits } from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";
import { inviteUrl } from "../../src/adapters/discord/discord-adapter.ts";
import { type CommandDefinition, interactionError, modalErrors, registrationErrors } from "./discord-command-rules.ts";
import { FakeRoles, guildPayload } from "./fake-discord-guild.ts";
import { parseMultipart } from "./multipart.ts";

export const appId = "900000000000000001";
export const maxRequestBytes = 25 * 1024 * 1024;
export const botId = "900000000000000002";

export interface RestCall {
  method: string;
  path: string;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
  /** Attachments sent with the request. */
  files: Array<{ name: string; data: Buffer }>;
}

export interface ChannelMessage {
  id: string;
  channel_id: string;
  nonce?: string;
  embeds: Array<Record<string, unknown>>;
  components: Array<{ components: Array<{ custom_id: string; label: string }> }>;
  edits: Array<Record<string, unknown>>;
}

type Failure = { status: number; code: number; message: string };

let snowflake = 1_200_000_000_000_000_000n;
export const nextId = () => String(++snowflake);

/**
 * A local stand-in for Discord: REST under /api/v10 (recording every request) and a gateway WebSocket that
 * speaks HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME and dispatches.
 */
export class FakeDiscord {
  readonly calls: RestCall[] = [];
  readonly messages: ChannelMessage[] = [];
  /** Interaction callbacks and webhook edits, by interaction token. */
  readonly replies = new Map<string, Array<{ kind: string; body: Record<string, unknown> | undefined }>>();
  readonly identifies: unknown[] = [];
  readonly resumes: unknown[] = [];
  readonly guilds = [{ id: "100000000000000001", channels: ["200000000000000001", "200000000000000002"] }];
  /** What the bot may do in channels: the permissions its invite URL asks for, as a server grants them on install. */
  granted = BigInt(new URL(inviteUrl(appId)).searchParams.get("permissions") ?? "0");
  /** Servers the bot was added to: registering guild commands elsewhere is refused with 50001 Missing Access. */
  readonly authorisedGuilds = new Set(this.guilds.map((g) => g.id));
  /** Messages the bot sent with content or embeds but without allowed_mentions { parse: [] }: the harness fails on any. */
  readonly unguarded: string[] = [];
  /** Commands a server admin opened to every member (Server Settings -> Integrations), whatever their default permissions. */
  readonly openToEveryone = new Set<string>();
  /** Registered commands: per guild id, and "global". */
  readonly registered = new Map<string, CommandDefinition[]>();
  private readonly failures = new Map<string, Failure[]>();
  /** The type of each interaction dispatched, and those already answered: Discord takes one initial response. */
  private readonly interactionTypes = new Map<string, number>();
  private readonly acknowledged = new Set<string>();
  /** The server's roles and members (the champion role's moves). */
  readonly guildRoles = new FakeRoles(botId, () => this.granted);
  /** Threads started from messages (POST /channels/:id/messages/:id/threads), by thread id (the message's id). */
  readonly threads = new Map<string, { parent: string; name: string; autoArchive: number }>();
  /** Direct-message channels the bot opened (POST /users/@me/channels), by channel id: the recipient. */
  readonly dmChannels = new Map<string, string>();
  private readonly attachments = new Map<string, Buffer>();
  private readonly attachmentObjects = new Map<string, Record<string, unknown>>();
  private server: Server | undefined;
  private readonly gateway = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private sequence = 0;
  private connections = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    this.server.on("upgrade", (req, socket, head) => this.gateway.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws)));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const client of this.gateway.clients) client.terminate();
    this.gateway.close();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private get port(): number {
    if (!this.server) throw new Error("start the fake first");
    return (this.server.address() as AddressInfo).port;
  }

  /** What discord.js's rest.api should be. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayConnections(): number {
    return this.connections;
  }

  get connected(): boolean {
    return this.socket?.readyState === 1;
  }

  /**
   * A file a member attached to a command, served as Discord's CDN serves attachments (at its url, no token needed);
   * returns the attachment object Discord puts in the interaction's resolved data.
   */
  attach(filename: string, content: Buffer | string): Record<string, unknown> {
    const id = nextId();
    const data = Buffer.from(content);
    this.attachments.set(id, data);
    const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(filename)}`;
    const object = { id, filename, size: data.length, url, proxy_url: url, content_type: "application/x-yaml", ephemeral: true };
    this.attachmentObjects.set(id, object);
    return object;
  }

  /** The resolved attachment object of a file attach() stored. */
  attachment(id: string): Record<string, unknown> | undefined {
    return this.attachmentObjects.get(id);
  }

  failNext(route: string, failure: Failure): void {
    this.failures.set(route, [...(this.failures.get(route) ?? []), failure]);
  }

  /** Sends a gateway dispatch (op 0) to the connected client. */
  dispatch(t: string, d: unknown): void {
    if (t === "INTERACTION_CREATE") {
      const interaction = d as { id: string; type: number };
      this.interactionTypes.set(interaction.id, interaction.type);
    }
    this.socket?.send(JSON.stringify({ op: 0, t, s: ++this.sequence, d }));
  }

  /**
   * Dispatches a slash command or autocomplete interaction, as Discord would: only for a command, subcommand and
   * options registered (in the guild or globally) and shown to the member. Anything else Discord never sends, so a
   * test that asks for it fails here.
   */
  interact(payload: Record<string, unknown>): void {
    const registered = [...(this.registered.get(String(payload.guild_id)) ?? []), ...(this.registered.get("global") ?? [])];
    const refused = interactionError(payload, registered, this.openToEveryone);
    if (refused) throw new Error(`fake Discord: Discord would not send this interaction: ${refused}`);
    this.dispatch("INTERACTION_CREATE", payload);
  }

  /** Sends raw text on the gateway socket (for malformed frames). */
  sendRaw(text: string): void {
    this.socket?.send(text);
  }

  /** Drops the gateway connection without a close frame, as a network failure would. */
  dropConnection(): void {
    this.socket?.terminate();
  }

  async until(check: () => boolean, timeoutMs = 8000): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error("fake Discord: timed out waiting");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  repliesTo(token: string) {
    return this.replies.get(token) ?? [];
  }

  private onSocket(ws: WebSocket): void {
    this.socket = ws;
    this.connections++;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on("message", (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (frame.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) {
        this.identifies.push(frame.d);
        this.sequence = 0;
        this.dispatch("READY", {
          v: 10,
          user: { id: botId, username: "study-bot", discriminator: "0", global_name: null, avatar: null, bot: true },
          guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: `session-${this.connections}`,
          resume_gateway_url: `ws://127.0.0.1:${this.port}`,
          shard: [0, 1],
          application: { id: appId, flags: 0 },
        });
        for (const guild of this.guilds) this.dispatch("GUILD_CREATE", guildPayload(guild, this.guildRoles));
      }
      if (frame.op === 6) {
        this.resumes.push(frame.d);
        this.dispatch("RESUMED", {});
      }
    });
  }

  /** Changes a role as a server admin would (its permissions, its position), and tells the bot (GUILD_ROLE_UPDATE). */
  updateRole(id: string, change: { permissions?: bigint; position?: number }): void {
    const role = this.guildRoles.update(id, change);
    for (const guild of this.guilds) this.dispatch("GUILD_ROLE_UPDATE", { guild_id: guild.id, role });
  }

  private messageObject(message: { id: string; channel_id: string; embeds?: unknown; components?: unknown; nonce?: string }) {
    return {
      id: message.id,
      channel_id: message.channel_id,
      type: 0,
      content: "",
      author: { id: botId, username: "study-bot", discriminator: "0", global_name: null, avatar: null, bot: true },
      embeds: message.embeds ?? [],
      components: message.components ?? [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      ...(message.nonce ? { nonce: message.nonce } : {}),
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const contentType = req.headers["content-type"] ?? "";
    // With attachments, discord.js sends multipart: the JSON in payload_json, each file in its own part.
    const parts = contentType.startsWith("multipart/form-data") ? parseMultipart(bytes, contentType) : [];
    const raw = parts.length > 0 ? (parts.find((p) => p.name === "payload_json")?.data.toString("utf8") ?? "") : bytes.toString("utf8");
    const files = parts.filter((p) => p.filename !== undefined).map((p) => ({ name: p.filename as string, data: p.data }));
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, "");
    const method = req.method ?? "GET";
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    this.calls.push({ method, path, auth: req.headers.authorization, body, files });
    this.checkMentions(`${method} ${path}`, body);
    // A message's attachments, or an interaction response's (in its data).
    const attachments = (body?.attachments ?? (body?.data as { attachments?: unknown } | undefined)?.attachments ?? []) as Array<{
      description?: string;
    }>;
    if (attachments.some((a) => (a.description?.length ?? 0) > 1024))
      return send(res, 400, { code: 50035, message: "Invalid Form Body: attachments.description: Must be 1024 or fewer in length." });
    // A message carries at most 10 files, and a request at most 25 MiB (Discord's default upload limit).
    if (files.length > 10) return send(res, 400, { code: 50035, message: "Invalid Form Body: files: Must be 10 or fewer in length." });
    if (bytes.length > maxRequestBytes) return send(res, 413, { code: 40005, message: "Request entity too large" });

    const route = `${method} ${path.replace(/\d{15,}/g, ":id")}`;
    const failure = this.failures.get(route)?.shift();
    if (failure) return send(res, failure.status, { code: failure.code, message: failure.message });

    const attachment = /^\/attachments\/(\d+)\//.exec(path);
    if (method === "GET" && attachment) {
      const data = this.attachments.get(attachment[1] as string);
      if (!data) return send(res, 404, { code: 0, message: "404: Not Found" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length });
      res.end(data);
      return;
    }
    if (method === "GET" && path === "/gateway/bot") {
      return send(res, 200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (method === "GET" && path === "/applications/@me") return send(res, 200, { id: appId, name: "study-bot", flags: 0 });
    const guildCommands = /^\/applications\/\d+\/guilds\/(\d+)\/commands$/.exec(path);
    if (method === "PUT" && guildCommands && !this.authorisedGuilds.has(guildCommands[1] as string)) {
      return send(res, 403, { code: 50001, message: "Missing Access" });
    }
    const commands = /^\/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (method === "PUT" && commands) {
      const definitions = (body as unknown as CommandDefinition[]) ?? [];
      const errors = registrationErrors(definitions);
      if (errors.length > 0) return send(res, 400, { code: 50035, message: "Invalid Form Body", errors });
      this.registered.set(commands[1] ?? "global", definitions);
      return send(
        res,
        200,
        definitions.map((c) => ({ ...c, id: nextId(), application_id: appId, version: "1" })),
      );
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback) {
      const interactionId = callback[1] as string;
      const type = (body as { type: number }).type;
      if (this.acknowledged.has(interactionId))
        return send(res, 400, { code: 40060, message: "Interaction has already been acknowledged." });
      if (type === 9) {
        const errors = modalErrors(body?.data as Record<string, unknown> | undefined, this.interactionTypes.get(interactionId));
        if (errors.length > 0) return send(res, 400, { code: 50035, message: "Invalid Form Body", errors });
      }
      this.acknowledged.add(interactionId);
      this.record(callback[2] as string, `callback:${type}`, body);
      return url.searchParams.get("with_response") === "true"
        ? send(res, 200, { interaction: { id: callback[1], type: 2 } })
        : send(res, 204);
    }
    const original = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(path);
    if (original) {
      this.record(original[1] as string, method === "DELETE" ? "delete" : "edit", body);
      return method === "DELETE" ? send(res, 204) : send(res, 200, this.messageObject({ id: nextId(), channel_id: "0", ...(body ?? {}) }));
    }
    if (method === "GET" && path === "/users/@me") {
      return send(res, 200, { id: botId, username: "study-bot", discriminator: "0", global_name: null, avatar: null, bot: true });
    }
    const answered = this.guildRoles.route(method, path);
    if (answered) return send(res, answered.status, answered.body);
    if (method === "POST" && path === "/users/@me/channels") {
      const recipient = String((body as { recipient_id?: unknown } | undefined)?.recipient_id ?? "");
      if (!/^\d{15,}$/.test(recipient)) return send(res, 400, { code: 50035, message: "Invalid Form Body" });
      const existing = [...this.dmChannels].find(([, user]) => user === recipient)?.[0];
      const id = existing ?? nextId();
      this.dmChannels.set(id, recipient);
      return send(res, 200, {
        id,
        type: 1,
        last_message_id: null,
        recipients: [{ id: recipient, username: `user-${recipient.slice(-4)}`, discriminator: "0", global_name: null, avatar: null }],
      });
    }
    const startThread = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
    if (startThread && method === "POST") {
      const [, parent, root] = startThread as unknown as [string, string, string];
      if ((this.granted & PermissionFlagsBits.CreatePublicThreads) === 0n) {
        return send(res, 403, { code: 50013, message: "Missing Permissions (Create Public Threads)" });
      }
      if (!this.messages.some((m) => m.id === root && m.channel_id === parent))
        return send(res, 404, { code: 10008, message: "Unknown Message" });
      if (this.threads.has(root)) return send(res, 400, { code: 160004, message: "A thread has already been created for this message" });
      const name = String((body as { name?: unknown } | undefined)?.name ?? "");
      const autoArchive = Number((body as { auto_archive_duration?: unknown } | undefined)?.auto_archive_duration ?? 4320);
      if (name.length < 1 || name.length > 100) return send(res, 400, { code: 50035, message: "Invalid Form Body (name)" });
      if (![60, 1440, 4320, 10080].includes(autoArchive))
        return send(res, 400, { code: 50035, message: "Invalid Form Body (auto_archive_duration)" });
      this.threads.set(root, { parent, name, autoArchive });
      return send(res, 201, {
        id: root,
        type: 11,
        parent_id: parent,
        name,
        guild_id: this.guilds[0]?.id,
        thread_metadata: { archived: false, auto_archive_duration: autoArchive },
      });
    }
    const create = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (create && method === "POST") {
      // A direct message has no server permissions to check; a thread takes Send Messages in Threads.
      const target = create[1] as string;
      const missing = this.dmChannels.has(target)
        ? undefined
        : this.threads.has(target)
          ? (this.granted & PermissionFlagsBits.SendMessagesInThreads) === 0n
            ? "Send Messages in Threads"
            : this.missingPermission(body, files.length, false)
          : this.missingPermission(body, files.length, true);
      if (missing) return send(res, 403, { code: 50013, message: `Missing Permissions (${missing})` });
      return send(res, 200, this.createMessage(create[1] as string, body));
    }
    const edit = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (edit && method === "PATCH") {
      const missing = this.missingPermission(body, files.length, false);
      if (missing) return send(res, 403, { code: 50013, message: `Missing Permissions (${missing})` });
      const message = this.messages.find((x) => x.id === edit[2]);
      if (!message) return send(res, 404, { code: 10008, message: "Unknown Message" });
      message.edits.push(body ?? {});
      return send(res, 200, this.messageObject({ ...message, ...(body ?? {}) }));
    }
    send(res, 404, { code: 0, message: `fake Discord has no route ${method} ${path}` });
  }

  private checkMentions(route: string, body: Record<string, unknown> | undefined): void {
    // An interaction callback carries its message in data; everything else is the message itself.
    const message = (body?.data && typeof body.data === "object" ? body.data : body) as Record<string, unknown> | undefined;
    if (!message || (message.content === undefined && message.embeds === undefined)) return;
    const parse = (message.allowed_mentions as { parse?: unknown[] } | undefined)?.parse;
    if (!Array.isArray(parse) || parse.length > 0) this.unguarded.push(route);
  }

  /** The permission a bot message needs and the bot was not granted, as Discord checks it in a channel. */
  private missingPermission(body: Record<string, unknown> | undefined, files: number, sending: boolean): string | undefined {
    const needs: Array<[string, bigint, boolean]> = [
      ["View Channel", PermissionFlagsBits.ViewChannel, true],
      ["Send Messages", PermissionFlagsBits.SendMessages, sending],
      ["Embed Links", PermissionFlagsBits.EmbedLinks, ((body?.embeds as unknown[] | undefined) ?? []).length > 0],
      ["Attach Files", PermissionFlagsBits.AttachFiles, files > 0],
    ];
    return needs.find(([, flag, needed]) => needed && (this.granted & flag) === 0n)?.[0];
  }

  /** Creates a channel message; with enforce_nonce, a second send with the same nonce returns the first message. */
  private createMessage(channel: string, body: Record<string, unknown> | undefined) {
    const nonce = body?.nonce as string | undefined;
    const same = body?.enforce_nonce && nonce ? this.messages.find((x) => x.channel_id === channel && x.nonce === nonce) : undefined;
    if (same) return this.messageObject(same);
    const message: ChannelMessage = {
      id: nextId(),
      channel_id: channel,
      nonce,
      embeds: (body?.embeds as ChannelMessage["embeds"]) ?? [],
      components: (body?.components as ChannelMessage["components"]) ?? [],
      edits: [],
    };
    this.messages.push(message);
    return this.messageObject(message);
  }

  private record(token: string, kind: string, body: Record<string, unknown> | undefined): void {
    this.replies.set(token, [...(this.replies.get(token) ?? []), { kind, body }]);
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
