import type { Selectable } from "kysely";
import type { Db } from "./database.ts";
import type { DigestsTable } from "./schema.ts";

export type DigestRow = Selectable<DigestsTable>;

export async function getDigest(db: Db, channelId: string, localDate: string): Promise<DigestRow | undefined> {
  return db.selectFrom("digests").selectAll().where("channel_id", "=", channelId).where("local_date", "=", localDate).executeTakeFirst();
}

export async function getDigestById(db: Db, id: string): Promise<DigestRow | undefined> {
  return db.selectFrom("digests").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The channel's most recent digest dated on or before a date. */
export async function latestDigest(db: Db, channelId: string, onOrBefore: string): Promise<DigestRow | undefined> {
  return db
    .selectFrom("digests")
    .selectAll()
    .where("channel_id", "=", channelId)
    .where("local_date", "<=", onOrBefore)
    .orderBy("local_date", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The channel's current rotation cycle and the articles it has already had in it. */
export async function rotationState(db: Db, channelId: string): Promise<{ cycle: number; used: Set<string> }> {
  const last = await db
    .selectFrom("digests")
    .select((eb) => eb.fn.max("cycle").as("cycle"))
    .where("channel_id", "=", channelId)
    .executeTakeFirst();
  const cycle = Number(last?.cycle ?? 0);
  const rows = await db
    .selectFrom("digests")
    .select("article_url")
    .where("channel_id", "=", channelId)
    .where("cycle", "=", cycle)
    .execute();
  return { cycle, used: new Set(rows.map((r) => r.article_url)) };
}

/** Records the article chosen for (channel, date); the unique key makes a second choice a no-op. */
export async function insertDigest(
  db: Db,
  row: Pick<DigestRow, "id" | "channel_id" | "workspace_id" | "local_date" | "article_url" | "cycle">,
): Promise<void> {
  await db
    .insertInto("digests")
    .values({
      ...row,
      status: "selected",
      message_ref: null,
      round_id: null,
      claimed_at: null,
      posted_at: null,
      attempts: 0,
      next_attempt_at: null,
      last_error: null,
    })
    .onConflict((oc) => oc.columns(["channel_id", "local_date"]).doNothing())
    .execute();
}

/** Takes the right to post: true for exactly one caller per digest. */
export async function claimDigest(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("digests")
    .set({ status: "claimed", claimed_at: now.toISOString() })
    .where("id", "=", id)
    .where("status", "=", "selected")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a claim back after a failed post, counting the attempt and when the next may be made. */
export async function releaseDigestClaim(db: Db, id: string, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .updateTable("digests")
    .set((eb) => ({
      status: "selected",
      claimed_at: null,
      attempts: eb("attempts", "+", 1),
      last_error: error,
      next_attempt_at: nextAttemptAt.toISOString(),
    }))
    .where("id", "=", id)
    .where("status", "=", "claimed")
    .execute();
}

export async function confirmDigest(db: Db, id: string, messageRef: string, now: Date): Promise<void> {
  await db
    .updateTable("digests")
    .set({ status: "posted", message_ref: messageRef, posted_at: now.toISOString() })
    .where("id", "=", id)
    .execute();
}

export async function setDigestRound(db: Db, id: string, roundId: string): Promise<void> {
  await db.updateTable("digests").set({ round_id: roundId }).where("id", "=", id).execute();
}
