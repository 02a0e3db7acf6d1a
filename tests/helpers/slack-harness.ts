import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { unescapeSlackText } from "../../src/adapters/slack/block-kit.ts";
import { SlackAdapter, type SlackAdapterOptions } from "../../src/adapters/slack/slack-adapter.ts";
import type { SecretKeys } from "../../src/store/secrets.ts";
import { eventHandled, markEventHandled, slackInstallationStore } from "../../src/store/slack.repository.ts";
import { StudyBot, type StudyBotOptions } from "../../src/study-bot.ts";
import { FakeSlack } from "./fake-slack.ts";
import { ManualClock } from "./manual-clock.ts";
import type { SlackAppConfig } from "./slack-manifest.ts";
import { fixtureDb, silentLog } from "./test-bot.ts";

export const signingSecret = "test-signing-secret";
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), "utf8"));

/** The environment that points a spawned bot at a fake Slack, serving HTTP on `port`. */
export function slackProcessEnv(slack: { apiUrl: string }, port: number): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
  };
}

/** Signs a body the way Slack does (v0 scheme) and posts it to the bot, with the exact bytes signed. */
export async function postSigned(
  url: string,
  body: string,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", options.secret ?? signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest("hex")}`;
  const started = Date.now();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signature,
      ...options.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text(), ms: Date.now() - started };
}

/** Who sends a request, and where from (defaults: U1 in T1's C1). */
export interface From {
  user?: string;
  name?: string;
  team?: string;
  channel?: string;
}

/** The body of `/study <typed>` as Slack sends it (escaped per the manifest), its replies to the fake's `responseId`. */
export function slashCommandBody(slack: FakeSlack, typed: string, responseId: string, from: From = {}): string {
  const fields = {
    ...fixture("slash-command.json"),
    text: slack.slashCommandText(typed),
    user_id: from.user ?? "U1",
    user_name: from.name ?? from.user ?? "U1",
    team_id: from.team ?? "T1",
    channel_id: from.channel ?? "C1",
    response_url: slack.responseUrl(responseId),
  };
  return new URLSearchParams(fields).toString();
}

/** A click on a button of a posted message, as Slack posts a block_actions payload. */
export function blockActionsBody(slack: FakeSlack, actionId: string, value: string, responseId: string, from: From = {}): string {
  const payload = fixture("block-actions.json");
  const user = from.user ?? "U1";
  const name = from.name ?? user;
  payload.user = { ...payload.user, id: user, username: name, name, team_id: from.team ?? "T1" };
  payload.team = { ...payload.team, id: from.team ?? "T1" };
  payload.channel = { ...payload.channel, id: from.channel ?? "C1" };
  payload.container = { ...payload.container, channel_id: from.channel ?? "C1" };
  payload.actions[0] = { ...payload.actions[0], action_id: actionId, value };
  payload.response_url = slack.responseUrl(responseId);
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A modal submitted by `user` with this state (values by block id), as Slack posts a view_submission. */
export function viewSubmissionBody(view: Record<string, unknown>, values: Record<string, unknown>, user: string): string {
  const submission = {
    type: "view_submission",
    team: { id: "T1", domain: "acme" },
    user: { id: user, username: user, name: user, team_id: "T1" },
    api_app_id: "A1",
    token: "unused",
    trigger_id: "1.2.3",
    view: { ...view, id: "V1", state: { values } },
  };
  return new URLSearchParams({ payload: JSON.stringify(submission) }).toString();
}

export interface SlackHarness {
  bot: StudyBot;
  slack: FakeSlack;
  adapter: SlackAdapter;
  clock: ManualClock;
  db: Awaited<ReturnType<typeof fixtureDb>>;
  events: string;
  /** `/study <text>` typed by a user, sent as Slack sends it (escaped per the manifest's should_escape). */
  command(text: string, from?: From): Promise<{ status: number; responseId: string; ms: number }>;
  /** A click on a button of a posted message, as a block_actions payload. */
  click(actionId: string, value: string, from?: From): Promise<{ status: number; responseId: string }>;
  /**
   * Submits the latest modal as `user` with this state (values by block id), as Slack posts a view_submission, and
   * waits for the ephemeral messages it sets off.
   */
  submitView(values: Record<string, unknown>, user: string): Promise<Array<{ channel: string; user: string; text: string }>>;
  /** Private replies sent through response_url for one request, as a member reads them (entities decoded). */
  replies(responseId: string): string[];
  stop(): Promise<void>;
}

let requests = 0;

export async function startSlackHarness(
  options: {
    now?: string;
    oauth?: boolean;
    /** With oauth: the keys the installation store encrypts with (STUDY_SECRETS_KEY). */
    secrets?: SecretKeys;
    adapter?: Partial<SlackAdapterOptions>;
    clock?: ManualClock;
    app?: SlackAppConfig;
    bot?: Pick<StudyBotOptions, "dashboard" | "homeRefreshMs">;
  } = {},
): Promise<SlackHarness> {
  const slack = new FakeSlack(options.app);
  await slack.start();
  const clock = options.clock ?? new ManualClock(options.now ?? "2026-11-23T10:00:00Z");
  slack.now = () => clock.now();
  const db = await fixtureDb(clock);
  const bot = new StudyBot({
    db,
    clock,
    defaults: { timezone: "UTC", language: "en" },
    log: silentLog,
    random: () => 0,
    ...options.bot,
  });
  const adapter = new SlackAdapter({
    signingSecret,
    ...(options.oauth
      ? {
          oauth: {
            clientId: "111.222",
            clientSecret: "client-secret",
            stateSecret: "state-secret",
            installationStore: slackInstallationStore(db, options.secrets),
          },
        }
      : { botToken: "xoxb-test" }),
    port: 0,
    host: "127.0.0.1",
    apiUrl: slack.apiUrl,
    admins: new Set(["UADMIN-LISTED"]),
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    log: silentLog,
    events: { handled: (eventId) => eventHandled(db, eventId), markHandled: (eventId) => markEventHandled(db, eventId, clock.now()) },
    ...options.adapter,
  });
  bot.addAdapter(adapter);
  await adapter.start(bot);
  const events = `http://127.0.0.1:${adapter.port}/slack/events`;

  const harness: SlackHarness = {
    bot,
    slack,
    adapter,
    clock,
    db,
    events,
    async command(text, from = {}) {
      const responseId = `r${++requests}`;
      const result = await postSigned(events, slashCommandBody(slack, text, responseId, from));
      return { status: result.status, responseId, ms: result.ms };
    },
    async click(actionId, value, from = {}) {
      const responseId = `r${++requests}`;
      const result = await postSigned(events, blockActionsBody(slack, actionId, value, responseId, from));
      return { status: result.status, responseId };
    },
    async submitView(values, user) {
      const before = slack.ephemerals.length;
      const result = await postSigned(events, viewSubmissionBody(slack.views.at(-1)?.view as Record<string, unknown>, values, user));
      if (result.status !== 200) throw new Error(`view_submission answered ${result.status}`);
      await slack.until(() => slack.ephemerals.length > before);
      return slack.ephemerals.slice(before);
    },
    replies(responseId) {
      return slack.responses.filter((r) => r.id === responseId).map((r) => unescapeSlackText(String(r.body.text ?? "")));
    },
    async stop() {
      await adapter.stop();
      bot.stop();
      await slack.stop();
      await db.destroy();
      if (slack.pings.length > 0) throw new Error(`the bot sent mentions it never means to: ${JSON.stringify(slack.pings)}`);
    },
  };
  return harness;
}

/** The answer buttons of a posted round: [action_id, value] per choice. */
export function answerButtons(message: { blocks: Array<Record<string, unknown>> }): Array<[string, string]> {
  const actions = message.blocks.find((b) => b.type === "actions") as { elements: Array<{ action_id: string; value: string }> } | undefined;
  return (actions?.elements ?? []).map((e) => [e.action_id, e.value]);
}
