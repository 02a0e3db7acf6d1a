import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { App, BlockAction, ButtonAction, InstallationStore } from "@slack/bolt";
import type { ExtendedErrorHandlerArgs } from "@slack/bolt/dist/App.js";
import { type RetryOptions, WebClient } from "@slack/web-api";
import type { HttpLimits } from "../../config.ts";
import { type Language, type Strings, strings } from "../../core/i18n.ts";
import { message, type OutMessage, type Reply } from "../../core/message.ts";
import type { Actor, ChannelAddress, ChatAdapter, CommandFile, EventSink, MessageRef } from "../../core/ports.ts";
import { type Logger, PermanentDeliveryError } from "../../core/ports.ts";
import { actionIds } from "../../features/declarations.ts";
import { defaultHttpLimits, holdToLimits, serverOptions } from "../../web/http-limits.ts";
import type { WebRoutes } from "../../web/web-app.ts";
import { fallbackText, toBlockKit, unescapeSlackText } from "./block-kit.ts";
import { createBoltApp } from "./bolt-app.ts";
import { boltLogger } from "./bolt-logger.ts";
import { asDeliveryError, permanentEditErrors, permanentErrors } from "./delivery-errors.ts";
import { digestEventType, findPostedInHistory } from "./digest-history.ts";
import { type FormMetadata, formCallbackId, formView, submittedFile, submittedTexts } from "./forms.ts";
import { JsonWebApi } from "./json-web-api.ts";
import { keepAliveFetch } from "./keep-alive-fetch.ts";
import { sendPrivateFiles } from "./private-files.ts";
import { WorkspaceAccess } from "./workspace-access.ts";

/** Every declared action (plain words and hyphens), as Block Kit action ids `<action>:<n>`. */
export const buttonActionPattern = new RegExp(`^(${actionIds.join("|")}):\\d+$`);

export interface SlackAdapterOptions {
  signingSecret: string;
  /** Single-workspace mode: the bot token. Without it, OAuth installs supply a token per workspace. */
  botToken?: string;
  /** Socket Mode (no public URL) when set. */
  appToken?: string;
  oauth?: { clientId: string; clientSecret: string; stateSecret: string; installationStore: InstallationStore };
  port: number;
  host?: string;
  apiUrl?: string;
  /** Slack user ids treated as admins besides workspace admins and owners. */
  admins: ReadonlySet<string>;
  retryConfig?: RetryOptions;
  log: Logger;
  /** The bot's other routes (health, metrics, the dashboard), served beside /slack/events in HTTP mode. */
  web?: WebRoutes;
  /** Events API deliveries: Slack retries them, so an event whose work is done is not done again. */
  events: { handled: (eventId: string) => Promise<boolean>; markHandled: (eventId: string) => Promise<void> };
  /** The deployment's language, for what the adapter says before a workspace's own setting is known (default en). */
  language?: Language;
  /** HTTP mode's limits on clients (defaults: loadConfig's). */
  http?: HttpLimits;
  /** How long stop() lets requests in flight finish before it cuts their connections. */
  drainMs?: number;
}

/** Slack over Bolt: parse, ack, render, deliver. Everything else is the core's. */
export class SlackAdapter implements ChatAdapter {
  readonly platform = "slack" as const;
  private app: App | undefined;
  private listening: AddressInfo | undefined;
  /** Single-workspace mode: the token's own team (auth.test). Every request is served as that workspace's. */
  private installedTeam: string | undefined;
  private server: Server | undefined;
  /** Web API calls need no receiver: `study-bot digest run-due` posts through this without starting Bolt. */
  private readonly web: WebClient;
  /** conversations.history only: a rate limit comes back at once instead of waiting out a minute inside the client. */
  private readonly history: WebClient;
  private readonly json: JsonWebApi;
  private readonly access: WorkspaceAccess;

  /** The adapter's own messages (the core's come in the workspace's language). */
  private readonly t: Strings;

  constructor(private readonly options: SlackAdapterOptions) {
    this.t = strings(options.language ?? "en");
    this.web = new WebClient(undefined, this.clientOptions());
    this.history = new WebClient(undefined, { ...this.clientOptions(), rejectRateLimitedCalls: true });
    this.json = new JsonWebApi(options.apiUrl ?? "https://slack.com/api/", this.retryConfig());
    this.access = new WorkspaceAccess(this.web, {
      botToken: options.botToken,
      installationStore: options.oauth?.installationStore,
      admins: options.admins,
    });
  }

  private clientOptions() {
    return {
      slackApiUrl: this.options.apiUrl,
      fetch: keepAliveFetch,
      retryConfig: this.retryConfig(),
      logger: boltLogger(this.options.log),
    };
  }

  private retryConfig(): RetryOptions {
    // Rate limits are retried after Retry-After; a few bounded retries keep a fan-out moving instead of waiting 30 minutes.
    return this.options.retryConfig ?? { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 30_000 };
  }

  async start(sink: EventSink): Promise<void> {
    const o = this.options;
    const limits = o.http ?? defaultHttpLimits;
    const { app, authorizationError } = await createBoltApp(o, this.clientOptions(), limits);
    this.app = app;
    if (o.botToken) this.installedTeam = (await this.web.auth.test({ token: o.botToken })).team_id;
    this.listen(this.app, sink, authorizationError);
    if (o.appToken) {
      await this.app.start({});
      return;
    }
    await this.app.init();
    this.server = await this.app.start({ port: o.port, host: o.host ?? "0.0.0.0" }, serverOptions(limits));
    holdToLimits(this.server, limits);
    this.listening = this.server.address() as AddressInfo;
  }

  /** The HTTP port actually bound (PORT=0 picks a free one). */
  get port(): number | undefined {
    return this.listening?.port;
  }

  /** Stops accepting, closes idle keep-alive connections, lets requests in flight finish for drainMs, then cuts them. */
  async stop(): Promise<void> {
    const server = this.server;
    server?.closeIdleConnections();
    const cut = setTimeout(() => server?.closeAllConnections(), this.options.drainMs ?? 5000);
    try {
      await this.app?.stop();
    } finally {
      clearTimeout(cut);
    }
  }

  async post(address: ChannelAddress, message: OutMessage, options?: { key?: string }): Promise<MessageRef> {
    try {
      const result = await this.callJson("chat.postMessage", address.workspaceId, {
        channel: address.channelId,
        ...(address.threadId ? { thread_ts: address.threadId } : {}),
        text: fallbackText(message),
        blocks: toBlockKit(message),
        ...(options?.key ? { metadata: { event_type: digestEventType, event_payload: { key: options.key } } } : {}),
      });
      if (message.image) {
        await this.web.files.uploadV2({
          token: await this.access.tokenFor(address.workspaceId),
          channel_id: address.channelId,
          file: message.image.png,
          filename: message.image.name,
          alt_text: message.image.alt.slice(0, 1000),
        });
      }
      return result.ts as string;
    } catch (error) {
      throw asDeliveryError(error, permanentErrors);
    }
  }

  /** A Slack thread is its root message: replies name it by its ts (thread_ts). Nothing to create. */
  async openThread(_address: ChannelAddress, rootRef: MessageRef): Promise<string> {
    return rootRef;
  }

  /** An ephemeral message in the channel: Slack shows it to that member alone. */
  async tell(address: ChannelAddress, userId: string, message: OutMessage): Promise<void> {
    await this.web.chat.postEphemeral({
      token: await this.access.tokenFor(address.workspaceId),
      channel: address.channelId,
      user: userId,
      text: fallbackText(message),
      blocks: toBlockKit(message),
    });
  }

  soleAdmin(workspaceId: string, userId: string): Promise<boolean> {
    return this.access.soleAdmin(workspaceId, userId);
  }

  async update(address: ChannelAddress, ref: MessageRef, message: OutMessage): Promise<void> {
    try {
      await this.callJson("chat.update", address.workspaceId, {
        channel: address.channelId,
        ts: ref,
        text: fallbackText(message),
        blocks: toBlockKit(message),
      });
    } catch (error) {
      throw asDeliveryError(error, permanentEditErrors);
    }
  }

  /** The two calls a fan-out and a round make for every channel, as JSON (see json-web-api.ts); the rest use the Web API client. */
  private async callJson(method: "chat.postMessage" | "chat.update", workspaceId: string, body: Record<string, unknown>) {
    return this.json.call(method, await this.access.tokenFor(workspaceId), body);
  }

  /** The members of a Slack user group, for squads. */
  async groupMembers(workspaceId: string, groupId: string): Promise<string[]> {
    const result = await this.web.usergroups.users.list({ token: await this.access.tokenFor(workspaceId), usergroup: groupId });
    return result.users ?? [];
  }

  /** Finds a digest posted before a crash, through its metadata (see digest-history.ts). */
  async findPosted(address: ChannelAddress, key: string, claimedAt: Date): Promise<MessageRef | undefined> {
    return findPostedInHistory(this.history, await this.access.tokenFor(address.workspaceId), address, key, claimedAt);
  }

  private listen(app: App, sink: EventSink, authorizationError: string): void {
    app.command("/study", async ({ command, ack, body }) => {
      // Ack first: Slack's 3-second limit holds whatever the database or the Web API is doing.
      await ack();
      const workspaceId = this.workspaceOf(command.team_id);
      const address: ChannelAddress = { platform: "slack", workspaceId, channelId: command.channel_id };
      const replies = await sink.command({
        address,
        workspaceName: command.team_domain,
        actor: this.actor(workspaceId, command.user_id, command.user_name),
        text: unescapeSlackText(command.text),
        raw: body,
      });
      const form = replies.find((r) => r.form)?.form;
      if (form) await this.openForm(command.trigger_id, { form, address, user: command.user_id }, command.response_url);
      else await this.deliver(address, command.user_id, replies, command.response_url);
    });

    app.action<BlockAction<ButtonAction>>(buttonActionPattern, async ({ ack, body, action }) => {
      await ack();
      const workspaceId = this.workspaceOf(body.team?.id ?? body.user.team_id ?? "");
      // A click on the member's App Home has no channel: it is answered in their direct messages (the user id as channel).
      const home = body.view?.type === "home";
      const channelId = home ? body.user.id : (body.channel?.id ?? (body.container as { channel_id?: string }).channel_id ?? "");
      const address: ChannelAddress = { platform: "slack", workspaceId, channelId };
      const replies = await sink.click({
        address,
        actor: this.actor(workspaceId, body.user.id, body.user.name ?? body.user.username ?? body.user.id),
        action: action.action_id.slice(0, action.action_id.indexOf(":")),
        value: action.value ?? "",
        messageRef: body.message?.ts,
        ...(home ? { fromHome: true } : {}),
        raw: body,
      });
      const form = replies.find((r) => r.form)?.form;
      if (form) await this.openForm(body.trigger_id, { form, address, user: body.user.id, home }, body.response_url);
      else if (home) await this.direct(address, replies);
      else await this.deliver(address, body.user.id, replies, body.response_url);
    });

    app.view(formCallbackId, async ({ ack, body, view }) => {
      await ack();
      const { form, address, user, home } = JSON.parse(view.private_metadata) as FormMetadata;
      // The form must come back from the workspace and the member it was opened for.
      if (address.workspaceId !== this.workspaceOf(body.team?.id ?? body.user.team_id ?? "") || user !== body.user.id) {
        this.options.log.warn({ team: body.team?.id, user: body.user.id }, "form submitted by another workspace or member: ignored");
        return;
      }
      // A modal submission has no response_url: answer with an ephemeral message in the channel it was opened in, or, for
      // a modal opened from the home, in the member's direct messages.
      const answer = (message: OutMessage) =>
        home ? this.direct(address, [privately(message)]) : this.tell(address, body.user.id, message);
      let file: CommandFile | undefined;
      if (form.file) {
        const fetched = await submittedFile(view.state.values, () => this.access.tokenFor(address.workspaceId), this.t);
        if (typeof fetched === "string") return void (await answer(message([{ type: "text", text: fetched }])));
        file = fetched;
      }
      const replies = await sink.click({
        address,
        actor: this.actor(address.workspaceId, body.user.id, body.user.name ?? body.user.id),
        action: form.action,
        value: form.value,
        inputs: submittedTexts(form, view.state.values),
        file,
        ...(home ? { fromHome: true } : {}),
        raw: body,
      });
      for (const reply of replies) await answer(reply.message);
    });

    // A member opened the app's Home tab (not its Messages tab): the core publishes their home through publishHome.
    app.event("app_home_opened", async ({ event, context }) => {
      if (event.tab !== "home") return;
      const workspaceId = this.workspaceOf(context.teamId ?? "");
      await sink.homeOpened({
        platform: "slack",
        workspaceId,
        userId: event.user,
        isAdmin: () => this.access.isAdmin(workspaceId, event.user),
      });
    });

    // Uninstalled, or the bot token revoked: either way the workspace can no longer be served.
    app.event(/^(app_uninstalled|tokens_revoked)$/, async ({ body, event, context }) => {
      if (event.type === "tokens_revoked" && !(event as { tokens?: { bot?: string[] } }).tokens?.bot?.length) return;
      if (await this.options.events.handled(body.event_id)) return;
      this.options.log.info({ team: context.teamId, event: event.type, retry: context.retryNum }, "slack app uninstalled");
      const reason = event.type === "tokens_revoked" ? "bot token revoked in the workspace" : "app uninstalled from the workspace";
      await sink.workspaceRemoved({ platform: "slack", workspaceId: context.teamId ?? "" }, reason);
      await this.options.oauth?.installationStore.deleteInstallation?.({
        teamId: context.teamId,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      // Only now: if the work above failed, Slack's retry of this event does it again.
      await this.options.events.markHandled(body.event_id);
    });

    app.error(async ({ error, body }: ExtendedErrorHandlerArgs) => {
      const responseUrl = (body as { response_url?: string } | undefined)?.response_url;
      if (error.code === authorizationError && responseUrl) {
        // No stored install for this workspace: Bolt acked silently, so say why through response_url (no token needed).
        this.options.log.warn({ err: error }, "request from a workspace without an install");
        await this.json.reply(responseUrl, { response_type: "ephemeral", text: this.t.notInstalled });
        return;
      }
      this.options.log.error({ err: error }, "slack listener failed");
    });
  }

  /** Opens a modal; what the member submits comes back through the view listener. When Slack refuses it, says why. */
  private async openForm(triggerId: string, metadata: FormMetadata, responseUrl: string | undefined): Promise<void> {
    const { address, user } = metadata;
    try {
      await this.web.views.open({
        token: await this.access.tokenFor(address.workspaceId),
        trigger_id: triggerId,
        view: formView(metadata, this.t.formSubmit),
      });
    } catch (error) {
      // Slack refused the modal (a file input without files:read: an app installed from an older manifest).
      this.options.log.warn({ err: error }, "views.open refused");
      const refused = privately(message([{ type: "text", text: this.t.formRefused }]));
      if (responseUrl) await this.deliver(address, user, [refused], responseUrl);
      else await this.direct(address, [refused]);
    }
  }

  /** Replies to a click on the home, which has no response_url: messages in the member's direct messages. */
  private async direct(address: ChannelAddress, replies: Reply[]): Promise<void> {
    for (const reply of replies) await this.post(address, reply.message);
  }

  /** The member's App Home tab; the Web API client waits out a rate limit (Retry-After) and tries again (retryConfig). */
  async publishHome(workspaceId: string, userId: string, message: OutMessage): Promise<void> {
    await this.web.views.publish({
      token: await this.access.tokenFor(workspaceId),
      user_id: userId,
      view: { type: "home", blocks: toBlockKit(message) },
    });
  }

  /**
   * Private replies are ephemeral, through response_url (as JSON, see json-web-api.ts, instead of Bolt's respond); public
   * ones are channel messages, with a hint when the bot is not in the channel.
   */
  private async deliver(address: ChannelAddress, userId: string, replies: Reply[], responseUrl: string): Promise<void> {
    const respond = (message: Record<string, unknown>) => this.json.reply(responseUrl, message);
    for (const reply of replies) {
      if (reply.visibility === "private") {
        const files = reply.message.files ?? [];
        const refused =
          files.length > 0 ? await sendPrivateFiles(this.web, await this.access.tokenFor(address.workspaceId), userId, files) : undefined;
        if (refused) {
          this.options.log.warn({ error: refused, user: userId }, "Slack refused the files for a member");
          await respond({ response_type: "ephemeral", replace_original: false, text: this.t.filesRefused(refused) });
          continue;
        }
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: fallbackText(reply.message),
          blocks: toBlockKit(reply.message),
        });
        continue;
      }
      try {
        await this.post(address, reply.message);
      } catch (error) {
        reply.onPostFailed?.();
        if (!(error instanceof PermanentDeliveryError) || error.message !== "not_in_channel") throw error;
        this.options.log.warn({ channel: address.channelId, user: userId }, "bot is not in the channel");
        await respond({
          response_type: "ephemeral",
          text: this.t.notInChannel,
        });
      }
    }
  }

  /**
   * The workspace a request is served in. With one bot token it is always the token's: a member of another organisation
   * in a Slack Connect channel acts there, and no request makes a workspace of its own team id.
   */
  private workspaceOf(requestTeam: string): string {
    return this.installedTeam ?? requestTeam;
  }

  private actor(teamId: string, userId: string, displayName: string): Actor {
    return { userId, displayName, isAdmin: () => this.access.isAdmin(teamId, userId) };
  }
}

const privately = (message: OutMessage): Reply => ({ visibility: "private", message });
