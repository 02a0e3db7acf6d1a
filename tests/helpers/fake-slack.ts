import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { blockKitErrors, viewErrors } from "./block-kit-limits.ts";
import { FakeSlackFiles } from "./fake-slack-files.ts";
import { directChannel, FakeSlackHomes } from "./fake-slack-home.ts";
import { historyLimits, historyPage, userPage } from "./fake-slack-pages.ts";
import { parseMultipart } from "./multipart.ts";
import { appConfigFrom, type SlackAppConfig } from "./slack-manifest.ts";

export interface SlackCall {
  method: string;
  token: string | undefined;
  params: Record<string, unknown>;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Array<Record<string, unknown>>;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** The root message of the thread this one replies in. */
  thread_ts?: string;
  edits: Array<{ text: string; blocks: Array<Record<string, unknown>> }>;
}

type Failure = { error: string } | { status: 429; retryAfter: number };

const jsonFields = new Set(["blocks", "metadata", "attachments", "view"]);

/** The bot scope each Web API method needs (Slack's method reference); conversations.history depends on the channel. */
const methodScopes: Record<string, string> = {
  "chat.postMessage": "chat:write",
  "chat.update": "chat:write",
  "chat.postEphemeral": "chat:write",
  "users.info": "users:read",
  "users.list": "users:read",
  "usergroups.users.list": "usergroups:read",
  "files.getUploadURLExternal": "files:write",
  "files.completeUploadExternal": "files:write",
  "conversations.open": "im:write",
};

export { historyLimits } from "./fake-slack-pages.ts";

/**
 * A local stand-in for the Slack Web API (POST /api/<method>, form-encoded like @slack/web-api sends, or JSON)
 * and for response_url endpoints (POST /response/<id>, JSON). It records every call and answers like Slack, with
 * Slack's rules: the scopes the app's manifest grants, Block Kit's limits, and conversations.history's limits.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages: SlackMessage[] = [];
  rateLimited = 0;
  /** Files uploaded through files.uploadV2 (get URL, upload, complete), with the bytes received. */
  readonly uploads: Array<{ fileId: string; filename: string; bytes: Buffer; channel: string | undefined }> = [];
  readonly views: Array<Record<string, unknown>> = [];
  /** usergroups.users.list answers: user group id -> member ids. */
  private readonly userGroups = new Map<string, string[]>();
  /** User group handles and user names, as typed after an @: what Slack escapes to ids in slash command text. */
  private readonly handles = new Map<string, string>();
  private readonly channelHandles = new Map<string, string>();
  /** Private channel ids: reading their history takes groups:history instead of channels:history. */
  readonly privateChannels = new Set<string>();
  readonly ephemerals: Array<{ channel: string; user: string; text: string }> = [];
  readonly responses: Array<{ id: string; body: Record<string, unknown> }> = [];
  /** users.info answers: user id -> flags. */
  readonly users = new Map<string, { is_admin?: boolean; is_owner?: boolean }>();
  /** Bot tokens and the team each belongs to; auth.test and users.info check them. */
  readonly tokens = new Map<string, string>([["xoxb-test", "T1"]]);
  /** oauth.v2.access answers by code. */
  readonly oauthCodes = new Map<string, { team: string; token: string }>();
  /**
   * Mentions and broadcasts the bot sent (<!channel>, <!here>, <!everyone>, <!subteam^…>, <@U…>, <#C…>) in a text or
   * mrkdwn field, as Slack would parse and notify them. The bot never means to: the harness fails a test that made one.
   */
  readonly pings: Array<{ method: string; token: string }> = [];
  /** Archived channel ids: Slack refuses posts to them (is_archived) and edits of their messages (is_inactive). */
  readonly archived = new Set<string>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly memberFiles = new Map<string, Buffer>();
  /** Downloads of member files, with the token each came with. */
  readonly fileDownloads: Array<{ id: string; token: string | undefined }> = [];
  private readonly holds = new Map<string, Array<{ arrived: boolean; gate: Promise<void> }>>();
  private server: Server | undefined;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private readonly acks = new Map<string, (payload: unknown) => void>();
  private sequence = 0;
  /** Slack-like rate limit on chat.postMessage: past this many calls in a second, answer 429 with Retry-After. */
  postsPerSecond: number | undefined;
  private window = { second: 0, count: 0 };
  /** Where message timestamps come from; tests point it at their manual clock. */
  now: () => Date = () => new Date();
  /** When each workspace last read a channel's history (real time: the rate limit answers with Retry-After). */
  private readonly historyReads = new Map<string, number>();
  /** 0 models an app listed in the Marketplace, whose history limit (tier 3, 50+ a minute) a test does not reach. */
  historyIntervalMs = historyLimits.intervalMs;

  /** views.publish: the homes published, its rules and its rate limit. */
  readonly homes: FakeSlackHomes;
  /** conversations.open's direct messages and the upload methods' arguments. */
  readonly files: FakeSlackFiles;

  /** `app`: what the app's manifest declares (slack/manifest.yaml unless a test says otherwise). */
  constructor(readonly app: SlackAppConfig = appConfigFrom()) {
    this.homes = new FakeSlackHomes(app, (id) => this.users.has(id));
    this.files = new FakeSlackFiles((id) => this.users.has(id));
  }

  /**
   * A file a member uploaded through a file input: what Slack puts in the view_submission state. Its url_private is
   * served only to a bot token of an app granted files:read, as Slack serves private files.
   */
  memberFile(name: string, content: Buffer | string): { id: string; name: string; size: number; url_private: string } {
    const id = `F${String(++this.sequence).padStart(8, "0")}`;
    const data = Buffer.from(content);
    this.memberFiles.set(id, data);
    return { id, name, size: data.length, url_private: `${this.base}/files-pri/T1-${id}/${encodeURIComponent(name)}` };
  }

  /** A user group with its handle (typed as @handle) and members. */
  userGroup(id: string, handle: string, members: string[]): void {
    this.userGroups.set(id, members);
    this.handles.set(handle, `<!subteam^${id}|@${handle}>`);
  }

  /** A channel's name, as typed after a #: Slack escapes it to <#id|name> in slash command text. */
  channelName(id: string, name: string): void {
    this.channelHandles.set(name, `<#${id}|${name}>`);
  }

  /** A member's name, as typed after an @. */
  userName(id: string, name: string): void {
    this.handles.set(name, `<@${id}|${name}>`);
  }

  /**
   * The text Slack sends for what a member typed after a slash command: &, < and > as entities, and, when the
   * command's should_escape is on, each @name of a known user or user group as its escaped id.
   */
  slashCommandText(typed: string, command = "/study"): string {
    const declared = this.app.commands.get(command);
    if (!declared) throw new Error(`fake Slack: ${command} is not declared in the manifest, so Slack never sends it`);
    const encoded = typed.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    if (!declared.shouldEscape) return encoded;
    return encoded
      .replace(/(^|\s)@([\w.-]+)/g, (whole, space: string, name: string) => {
        const escaped = this.handles.get(name);
        return escaped ? `${space}${escaped}` : whole;
      })
      .replace(/(^|\s)#([\w.-]+)/g, (whole, space: string, name: string) => {
        const escaped = this.channelHandles.get(name);
        return escaped ? `${space}${escaped}` : whole;
      });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
    // Socket Mode: the client opens a WebSocket at the URL apps.connections.open returned.
    this.server.on("upgrade", (req, socket, head) => {
      this.sockets.handleUpgrade(req, socket, head, (ws) => {
        this.socket = ws;
        ws.on("message", (data) => {
          const ack = JSON.parse(String(data)) as { envelope_id: string; payload?: unknown };
          this.acks.get(ack.envelope_id)?.(ack.payload);
        });
        ws.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "fake" }, connection_info: { app_id: "A1" } }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  get socketConnected(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Sends a Socket Mode envelope (slash_commands, interactive, events_api) and resolves with the client's ack. */
  envelope(type: string, payload: Record<string, unknown>): Promise<unknown> {
    const id = `env-${++this.sequence}`;
    const acked = new Promise((resolve) => this.acks.set(id, resolve));
    this.socket?.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== "events_api" }));
    return acked;
  }

  async stop(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    this.sockets.close();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  get base(): string {
    if (!this.server) throw new Error("start the fake first");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What Bolt's clientOptions.slackApiUrl should be. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/response/${id}`;
  }

  /** Makes the next call(s) to `method` fail, in order. */
  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /** Holds the next call to `method`, unrecorded and unanswered, until release(): a slow Slack. */
  holdNext(method: string): { arrived: () => boolean; release: () => void } {
    let release = () => {};
    const hold = { arrived: false, gate: new Promise<void>((resolve) => (release = resolve)) };
    this.holds.set(method, [...(this.holds.get(method) ?? []), hold]);
    return { arrived: () => hold.arrived, release };
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `check` holds (replies through response_url arrive after the ack). */
  async until(check: () => boolean, timeoutMs = 5000): Promise<void> {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > timeoutMs) throw new Error("fake Slack: timed out waiting");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Slack message timestamps: unix seconds, then a sequence that keeps them unique. */
  private nextTs(): string {
    return `${Math.floor(this.now().getTime() / 1000)}.${String(++this.sequence).padStart(6, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString("utf8");
    const url = req.url ?? "";
    if (url.startsWith("/upload/")) {
      const file = parseMultipart(bytes, req.headers["content-type"] ?? "").find((part) => part.filename !== undefined) ?? { data: bytes };
      const upload = this.uploads.find((u) => u.fileId === url.slice("/upload/".length));
      if (upload) upload.bytes = file.data;
      res.writeHead(200);
      return void res.end(`OK - ${file.data.length}`);
    }
    if (url.startsWith("/files-pri/")) {
      const id = /^\/files-pri\/T1-(F\d+)\//.exec(url)?.[1] ?? "";
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "") || undefined;
      this.fileDownloads.push({ id, token });
      const data = this.memberFiles.get(id);
      // Without a valid token of an app with files:read, Slack answers with its sign-in page, not the file.
      if (!data || !this.tokens.has(token ?? "") || !this.app.scopes.has("files:read")) {
        res.writeHead(302, { location: "https://slack.com/signin" });
        return void res.end();
      }
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length });
      return void res.end(data);
    }
    if (url.startsWith("/response/")) {
      const body = JSON.parse(raw);
      this.recordPings("response_url", body);
      const errors = blockKitErrors(body.blocks);
      if (errors.length > 0) return send(res, 400, { ok: false, error: "invalid_blocks", errors });
      this.responses.push({ id: url.slice("/response/".length), body });
      return send(res, 200, { ok: true });
    }
    const method = url.replace(/^\/api\//, "").split("?")[0] ?? "";
    // Slack takes a JSON body only with the token in the Authorization header.
    const json = (req.headers["content-type"] ?? "").startsWith("application/json");
    const params: Record<string, unknown> = json ? JSON.parse(raw) : {};
    if (!json) for (const [key, value] of new URLSearchParams(raw)) params[key] = jsonFields.has(key) ? JSON.parse(value) : value;
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "") || (json ? undefined : (params.token as string | undefined));
    const hold = this.holds.get(method)?.shift();
    if (hold) {
      hold.arrived = true;
      await hold.gate;
    }
    this.calls.push({ method, token, params });

    if (method === "chat.postMessage" && this.postsPerSecond !== undefined) {
      const second = Math.floor(Date.now() / 1000);
      if (this.window.second !== second) this.window = { second, count: 0 };
      if (++this.window.count > this.postsPerSecond) {
        this.rateLimited++;
        return rateLimited(res, 1);
      }
    }
    const failure = this.failures.get(method)?.shift();
    if (failure && "status" in failure) return rateLimited(res, failure.retryAfter);
    if (failure) return send(res, 200, { ok: false, error: failure.error });
    if (method === "apps.connections.open") {
      return send(
        res,
        200,
        token === "xapp-test" ? { ok: true, url: `${this.base.replace("http:", "ws:")}/socket` } : { ok: false, error: "invalid_auth" },
      );
    }
    if (method !== "oauth.v2.access" && !this.tokens.has(token ?? "")) return send(res, 200, { ok: false, error: "invalid_auth" });
    const needed = method === "conversations.history" ? this.historyScope(String(params.channel)) : methodScopes[method];
    if (needed && !this.app.scopes.has(needed)) {
      return send(res, 200, { ok: false, error: "missing_scope", needed, provided: [...this.app.scopes].join(",") });
    }
    if (["chat.postMessage", "chat.update", "chat.postEphemeral"].includes(method)) {
      this.recordPings(method, params);
      const errors = blockKitErrors(params.blocks);
      if (errors.length > 0) return send(res, 200, { ok: false, error: "invalid_blocks", errors });
    }
    if (method === "conversations.history") {
      const key = `${token}:${method}`;
      const wait = (this.historyReads.get(key) ?? -Infinity) + this.historyIntervalMs - Date.now();
      if (wait > 0) {
        this.rateLimited++;
        return rateLimited(res, Math.ceil(wait / 1000));
      }
      this.historyReads.set(key, Date.now());
    }
    if (method === "views.publish") {
      const wait = this.homes.retryAfter(this.tokens.get(token ?? "") ?? "");
      if (wait > 0) return rateLimited(res, wait);
      this.recordPings(method, { blocks: (params.view as { blocks?: unknown } | undefined)?.blocks });
    }
    send(res, 200, this.answer(method, params, token ?? ""));
  }

  private recordPings(method: string, message: Record<string, unknown>): void {
    const texts: string[] = [String(message.text ?? "")];
    // Every mrkdwn text object in the blocks, however deep (section text and fields, context elements).
    JSON.stringify(message.blocks ?? [], (_key, value) => {
      if (value && typeof value === "object" && value.type === "mrkdwn" && typeof value.text === "string") texts.push(value.text);
      return value;
    });
    for (const text of texts) for (const [token] of text.matchAll(/<[!@#][^>]*>/g)) this.pings.push({ method, token });
  }

  private historyScope(channel: string): string {
    return this.privateChannels.has(channel) ? "groups:history" : "channels:history";
  }

  private answer(method: string, p: Record<string, unknown>, token: string): Record<string, unknown> {
    const team = this.tokens.get(token);
    switch (method) {
      case "auth.test":
        return { ok: true, team_id: team, user_id: "UBOT", bot_id: "BBOT", user: "study-bot", team: "Test Team" };
      case "chat.postMessage": {
        const channel = directChannel(String(p.channel), (id) => this.users.has(id));
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (this.archived.has(channel)) return { ok: false, error: "is_archived" };
        const threadTs = p.thread_ts === undefined ? undefined : String(p.thread_ts);
        const ts = this.nextTs();
        const message: SlackMessage = {
          thread_ts: threadTs,
          channel,
          ts,
          text: String(p.text ?? ""),
          blocks: (p.blocks as SlackMessage["blocks"]) ?? [],
          metadata: p.metadata as SlackMessage["metadata"],
          edits: [],
        };
        this.messages.push(message);
        return { ok: true, channel, ts, message: { ts, text: p.text } };
      }
      case "chat.update": {
        if (this.archived.has(String(p.channel))) return { ok: false, error: "is_inactive" };
        const message = this.messages.find((m) => m.ts === p.ts && m.channel === p.channel);
        if (!message) return { ok: false, error: "message_not_found" };
        message.edits.push({ text: String(p.text ?? ""), blocks: (p.blocks as SlackMessage["blocks"]) ?? [] });
        return { ok: true, channel: p.channel, ts: p.ts };
      }
      case "chat.postEphemeral":
        this.ephemerals.push({ channel: String(p.channel), user: String(p.user), text: String(p.text ?? "") });
        return { ok: true, message_ts: this.nextTs() };
      case "files.getUploadURLExternal": {
        const refused = this.files.uploadUrlRefusal(p);
        if (refused) return refused;
        const fileId = `F${this.uploads.length + 1}`;
        this.uploads.push({ fileId, filename: String(p.filename), bytes: Buffer.alloc(0), channel: undefined });
        return { ok: true, upload_url: `${this.base}/upload/${fileId}`, file_id: fileId };
      }
      case "files.completeUploadExternal": {
        const refused = this.files.completeRefusal(p);
        if (refused) return refused;
        const files = JSON.parse(String(p.files)) as Array<{ id: string }>;
        for (const file of files) {
          const upload = this.uploads.find((u) => u.fileId === file.id);
          if (upload) upload.channel = String(p.channel_id);
        }
        return { ok: true, files: files.map((f) => ({ id: f.id })) };
      }
      case "conversations.open":
        return this.files.open(p);
      case "usergroups.users.list":
        return { ok: true, users: this.userGroups.get(String(p.usergroup)) ?? [] };
      case "views.publish":
        return this.homes.publish(p, team ?? "");
      case "views.open": {
        if (!p.trigger_id) return { ok: false, error: "invalid_arguments" };
        const problems = viewErrors(p.view as Record<string, unknown>, this.app.scopes);
        if (problems.length > 0) return { ok: false, error: "invalid_arguments", response_metadata: { messages: problems } };
        this.views.push(p);
        return { ok: true, view: { id: `V${this.views.length}` } };
      }
      case "users.info": {
        const flags = this.users.get(String(p.user)) ?? {};
        return { ok: true, user: { id: p.user, team_id: team, is_admin: false, is_owner: false, is_primary_owner: false, ...flags } };
      }
      case "users.list":
        return userPage(this.users, p, team ?? "");
      case "conversations.history":
        return historyPage(this.messages, p);
      case "oauth.v2.access": {
        const grant = this.oauthCodes.get(String(p.code));
        if (!grant) return { ok: false, error: "invalid_code" };
        this.tokens.set(grant.token, grant.team);
        return {
          ok: true,
          app_id: "A1",
          authed_user: { id: "UINSTALLER" },
          scope: [...this.app.scopes].join(","),
          token_type: "bot",
          access_token: grant.token,
          bot_user_id: "UBOT",
          team: { id: grant.team, name: `Team ${grant.team}` },
          enterprise: null,
          is_enterprise_install: false,
        };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}

function rateLimited(res: ServerResponse, retryAfterSeconds: number): void {
  res.writeHead(429, { "retry-after": String(retryAfterSeconds), "content-type": "application/json" });
  res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
