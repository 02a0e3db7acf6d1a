import { blockKitErrors } from "./block-kit-limits.ts";
import type { SlackAppConfig } from "./slack-manifest.ts";

type Json = Record<string, unknown>;

/** What views.publish answers: an error (and the problems), or nothing for a view Slack takes. */
type Refusal = { ok: false; error: string; response_metadata?: { messages: string[] } };

/**
 * views.publish of the fake Slack, with Slack's rules (https://docs.slack.dev/reference/methods/views.publish): a known
 * user_id, a home view (a JSON string, at most 250 KB, at most 100 blocks within Block Kit's limits) for an app with a
 * Home tab, and Tier 4's rate limit per workspace (100 a minute), past which it answers 429 with Retry-After.
 */
export class FakeSlackHomes {
  /** Every home Slack took, in order. */
  readonly published: Array<{ team: string; user: string; view: Json }> = [];
  publishesPerMinute = 100;
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly app: SlackAppConfig,
    private readonly knownUser: (id: string) => boolean,
  ) {}

  /** The home a member sees now: the last one published for them. */
  latest(user: string): Json | undefined {
    return [...this.published].reverse().find((p) => p.user === user)?.view;
  }

  /** Seconds to wait when the workspace is past its limit this minute (the call then counts for nothing), else 0. */
  retryAfter(team: string): number {
    const now = Date.now();
    const calls = (this.recent.get(team) ?? []).filter((at) => at > now - 60_000);
    this.recent.set(team, calls);
    if (calls.length >= this.publishesPerMinute) return Math.max(1, Math.ceil(((calls[0] ?? now) + 60_000 - now) / 1000));
    calls.push(now);
    return 0;
  }

  publish(p: Json, team: string): Refusal | { ok: true; view: Json } {
    const user = typeof p.user_id === "string" ? p.user_id : "";
    if (!user)
      return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] missing required field: user_id"] } };
    if (!this.knownUser(user)) return { ok: false, error: "user_not_found" };
    const view = p.view;
    if (!view || typeof view !== "object") return { ok: false, error: "invalid_arguments" };
    if (JSON.stringify(view).length > 250_000) return { ok: false, error: "view_too_large" };
    const v = view as Json;
    if (v.type !== "home") {
      return { ok: false, error: "invalid_arguments", response_metadata: { messages: ["[ERROR] must be home [json-pointer:/view/type]"] } };
    }
    if (!this.app.homeTab) return { ok: false, error: "not_enabled" };
    const errors = blockKitErrors(v.blocks ?? [], 100);
    if (errors.length > 0) return { ok: false, error: "invalid_blocks", response_metadata: { messages: errors } };
    this.published.push({ team, user, view: v });
    return { ok: true, view: { id: `VH-${user}`, type: "home", team_id: team, blocks: v.blocks } };
  }
}

/** A member opening the app's Home (or Messages) tab, as Slack posts app_home_opened (only to apps subscribed to it). */
export function homeOpenedBody(app: SlackAppConfig, user: string, tab: "home" | "messages" = "home", team = "T1"): string {
  if (!app.botEvents.has("app_home_opened")) throw new Error("fake Slack: the app does not subscribe to app_home_opened");
  const at = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    token: "unused",
    team_id: team,
    api_app_id: "A1",
    type: "event_callback",
    event_id: `Ev${at}${Math.floor(Math.random() * 1e6)}`,
    event_time: at,
    event: { type: "app_home_opened", user, channel: `D${user}`, tab, event_ts: `${at}.000100` },
    authorizations: [{ enterprise_id: null, team_id: team, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
  });
}

/**
 * A click on a button of the member's published home, as Slack posts block_actions from a view: no channel and no
 * response_url. Slack only sends clicks on buttons it shows, so one the home does not have fails here.
 */
export function homeClickBody(homes: FakeSlackHomes, user: string, label: string, team = "T1"): string {
  const view = homes.latest(user);
  const blocks = (view?.blocks as Json[] | undefined) ?? [];
  for (const block of blocks) {
    if (block.type !== "actions") continue;
    const button = (block.elements as Json[]).find((e) => (e.text as { text?: string } | undefined)?.text === label);
    if (!button) continue;
    const payload = {
      type: "block_actions",
      user: { id: user, username: user, name: user, team_id: team },
      api_app_id: "A1",
      token: "unused",
      container: { type: "view", view_id: `VH-${user}` },
      trigger_id: "13345224609.738474920.8088930838d88f008e1",
      team: { id: team, domain: "acme-eng" },
      enterprise: null,
      is_enterprise_install: false,
      view: { id: `VH-${user}`, team_id: team, type: "home", blocks, private_metadata: "", callback_id: "", state: { values: {} } },
      actions: [{ ...button, block_id: block.block_id, action_ts: "1700000002.000300" }],
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }
  throw new Error(`fake Slack: ${user}'s home has no button "${label}"`);
}

/** chat.postMessage to a user id posts in the app's direct messages with them: their DM channel, or none for an unknown user. */
export function directChannel(channel: string, knownUser: (id: string) => boolean): string | undefined {
  if (!/^[UW][A-Z0-9]+$/.test(channel)) return channel;
  return knownUser(channel) ? `D${channel}` : undefined;
}
