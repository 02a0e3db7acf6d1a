import { randomUUID } from "node:crypto";
import type { OutMessage } from "../../core/message.ts";
import type { ChannelAddress } from "../../core/ports.ts";
import type { Kernel } from "../kernel.ts";

/** The claim rows of one kind of once-per-channel-and-period post (the weekly recap, a season's standings). */
export interface PostClaims {
  get(): Promise<{ id: string; status: string; claimed_at: string } | undefined>;
  /** Claims the post with a new row; true for exactly one caller. */
  claim(id: string, now: Date): Promise<boolean>;
  /** Takes over a claim left unconfirmed since `staleClaimedAt`; true for exactly one caller. */
  reclaim(id: string, staleClaimedAt: string, now: Date): Promise<boolean>;
  confirm(id: string, messageRef: string): Promise<void>;
  release(id: string): Promise<void>;
}

/**
 * Posts a message to a channel once per period, across replicas and crashes, like the daily digest: claimed before the
 * platform call, a stale claim reconciled with the platform (`key`) before anything is posted again. `build` returning
 * nothing records the period as done without a post.
 */
export async function postOnce(
  k: Kernel,
  address: ChannelAddress,
  key: string,
  claims: PostClaims,
  build: () => Promise<OutMessage | undefined>,
): Promise<void> {
  const { clock, delivery } = k;
  const now = clock.now();
  const existing = await claims.get();
  const id = existing?.id ?? randomUUID();
  if (existing?.status === "posted") return;
  if (existing) {
    if (now.getTime() - new Date(existing.claimed_at).getTime() < k.staleClaimMs) return;
    const found = await delivery.adapterFor(address.platform).findPosted?.(address, key, new Date(existing.claimed_at));
    if (found) return claims.confirm(existing.id, found);
    if (!(await claims.reclaim(existing.id, existing.claimed_at, now))) return;
  } else if (!(await claims.claim(id, now))) {
    return;
  }
  try {
    const message = await build();
    const ref = message ? await delivery.post(address, message, { key }) : "";
    await claims.confirm(id, ref);
  } catch (error) {
    k.log.warn({ err: error, channel: address.channelId, key }, "a once-per-period post failed; it is retried on the next pass");
    await claims.release(id);
  }
}
