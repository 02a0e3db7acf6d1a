import { ErrorCode, type WebClient } from "@slack/web-api";
import type { ChannelAddress, MessageRef } from "../../core/ports.ts";

export const digestEventType = "study_digest";
/** A post lands within this long of its claim: its own retries (retryConfig) end well inside it. */
const postWindowMs = 5 * 60_000;
/** How far our clock and Slack's message timestamps may disagree. */
const clockSkewMs = 60_000;
/** conversations.history's page cap for apps outside the Slack Marketplace (and the default a page asks for). */
const historyPageSize = 15;

/**
 * Finds a message posted with `key` (in its study_digest metadata) by a pass that claimed it at `claimedAt`. Apps
 * outside the Slack Marketplace may read history once a minute, 15 messages a page: so only the minutes when that
 * post can have landed are read, and a rate limit on the first page means "look again on the next pass", never "not
 * posted". Later pages wait out Retry-After, so a busy channel still gets read to the end of the window. `client` must
 * reject rate-limited calls rather than wait inside.
 */
export async function findPostedInHistory(
  client: WebClient,
  token: string,
  address: ChannelAddress,
  key: string,
  claimedAt: Date,
): Promise<MessageRef | undefined> {
  const seconds = (ms: number) => (ms / 1000).toFixed(6);
  const range = {
    channel: address.channelId,
    oldest: seconds(claimedAt.getTime() - clockSkewMs),
    latest: seconds(claimedAt.getTime() + postWindowMs),
    inclusive: true,
    include_all_metadata: true,
    limit: historyPageSize,
  };
  let cursor: string | undefined;
  for (let page = 0; ; ) {
    let history: Awaited<ReturnType<WebClient["conversations"]["history"]>>;
    try {
      history = await client.conversations.history({ token, ...range, ...(cursor ? { cursor } : {}) });
    } catch (error) {
      const limited = error as { code?: string; retryAfter: number };
      if (limited.code !== ErrorCode.RateLimitedError) throw error;
      if (page === 0)
        throw new Error(`conversations.history is rate limited (retry after ${limited.retryAfter} s): looking again on the next pass`);
      await new Promise((resolve) => setTimeout(resolve, limited.retryAfter * 1000));
      continue;
    }
    const found = history.messages?.find((m) => {
      const metadata = (m as { metadata?: { event_type?: string; event_payload?: { key?: string } } }).metadata;
      return metadata?.event_type === digestEventType && metadata.event_payload?.key === key;
    });
    if (found) return found.ts;
    cursor = history.response_metadata?.next_cursor;
    if (!history.has_more || !cursor) return undefined;
    page++;
  }
}
