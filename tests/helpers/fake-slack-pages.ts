import type { SlackMessage } from "./fake-slack.ts";

/**
 * conversations.history for apps outside the Slack Marketplace (new apps and installs since 29 May 2025): one request a
 * minute per workspace, at most 15 messages per page.
 */
export const historyLimits = { pageSize: 15, intervalMs: 60_000 };

const cursorStart = (p: Record<string, unknown>) => (p.cursor ? Number(Buffer.from(String(p.cursor), "base64").toString("utf8")) : 0);

/** users.list: every user the fake knows (users.info's flags), a page at a time as `limit` asks, with a cursor. */
export function userPage(
  users: ReadonlyMap<string, Record<string, unknown>>,
  p: Record<string, unknown>,
  team: string,
): Record<string, unknown> {
  const all = [...users].map(([id, flags]) => ({
    id,
    team_id: team,
    deleted: false,
    is_bot: false,
    is_admin: false,
    is_owner: false,
    ...flags,
  }));
  const start = cursorStart(p);
  const size = Math.min(Number(p.limit ?? 200) || 200, 200);
  const next = start + size < all.length ? Buffer.from(String(start + size)).toString("base64") : "";
  return { ok: true, members: all.slice(start, start + size), response_metadata: { next_cursor: next } };
}

/**
 * Newest first, between oldest and latest (exclusive unless inclusive), one page of at most 15 whatever limit asks;
 * the cursor continues toward older messages.
 */
export function historyPage(messages: readonly SlackMessage[], p: Record<string, unknown>): Record<string, unknown> {
  const inclusive = p.inclusive === "true" || p.inclusive === true;
  const oldest = Number(p.oldest ?? 0);
  const latest = p.latest === undefined ? Infinity : Number(p.latest);
  // Replies in threads are not in the channel's history (conversations.replies reads them).
  const inRange = messages
    .filter((m) => m.channel === p.channel && !m.thread_ts)
    .filter((m) => (inclusive ? Number(m.ts) >= oldest && Number(m.ts) <= latest : Number(m.ts) > oldest && Number(m.ts) < latest))
    .reverse();
  const start = cursorStart(p);
  const size = Math.min(Number(p.limit ?? historyLimits.pageSize), historyLimits.pageSize);
  const page = inRange.slice(start, start + size).map((m) => ({
    type: "message",
    ts: m.ts,
    text: m.text,
    ...((p.include_all_metadata === "true" || p.include_all_metadata === true) && m.metadata ? { metadata: m.metadata } : {}),
  }));
  const hasMore = start + size < inRange.length;
  return {
    ok: true,
    messages: page,
    has_more: hasMore,
    ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(String(start + size)).toString("base64") } } : {}),
  };
}
