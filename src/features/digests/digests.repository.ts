import type { Selectable } from "kysely";
import type { Db } from "../../store/database.ts";
import { precompile } from "../../store/precompiled.ts";
import type { DigestsTable } from "../../store/schema.ts";

export type DigestRow = Selectable<DigestsTable>;

// The queries a digest fan-out makes for every channel are compiled once (see precompiled.ts).
const getDigestQuery = precompile(["channelId", "localDate"], (db, p) =>
  db.selectFrom("digests").selectAll().where("channel_id", "=", p.channelId).where("local_date", "=", p.localDate),
);

export async function getDigest(db: Db, channelId: string, localDate: string): Promise<DigestRow | undefined> {
  return (await getDigestQuery(db, { channelId, localDate })).rows[0];
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

const rotationQuery = precompile(["channelId"], (db, p) =>
  db
    .selectFrom("digests")
    .select(["cycle", "article_url"])
    .where("channel_id", "=", p.channelId)
    .where("cycle", "=", (eb) =>
      eb
        .selectFrom("digests")
        .select((e) => e.fn.max("cycle").as("cycle"))
        .where("channel_id", "=", p.channelId),
    ),
);

/** The channel's current rotation cycle and the articles it has already had in it. */
export async function rotationState(db: Db, channelId: string): Promise<{ cycle: number; used: Set<string> }> {
  const rows = (await rotationQuery(db, { channelId })).rows;
  return { cycle: Number(rows[0]?.cycle ?? 0), used: new Set(rows.map((r) => r.article_url)) };
}

const insertDigestQuery = precompile(
  ["id", "channel_id", "workspace_id", "local_date", "article_url", "cycle", "status", "claimed_at"],
  (db, p) =>
    db
      .insertInto("digests")
      .values({ ...p, message_ref: null, round_id: null, posted_at: null, attempts: 0, next_attempt_at: null, last_error: null })
      .onConflict((oc) => oc.columns(["channel_id", "local_date"]).doNothing()),
);

/**
 * Records the article chosen for (channel, date), already claimed when `claimedAt` is given (a fan-out choosing and
 * posting in one pass); the unique key makes a second choice a no-op. Returns the row when this call inserted it.
 */
export async function insertDigest(
  db: Db,
  chosen: Pick<DigestRow, "id" | "channel_id" | "workspace_id" | "local_date" | "article_url" | "cycle">,
  claimedAt?: Date,
): Promise<DigestRow | undefined> {
  const row: DigestRow = {
    ...chosen,
    status: claimedAt ? "claimed" : "selected",
    message_ref: null,
    round_id: null,
    claimed_at: claimedAt?.toISOString() ?? null,
    posted_at: null,
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
  };
  const result = await insertDigestQuery(db, row);
  return Number(result.numAffectedRows ?? 0) === 1 ? row : undefined;
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

/** Marks a digest posted, with its round when one was opened: one statement for both. */
const confirmDigestQuery = precompile(["id", "messageRef", "postedAt", "roundId"], (db, p) =>
  db
    .updateTable("digests")
    .set({ status: "posted", message_ref: p.messageRef, posted_at: p.postedAt, round_id: p.roundId })
    .where("id", "=", p.id),
);

export async function confirmDigest(db: Db, id: string, messageRef: string, now: Date, roundId: string | undefined): Promise<void> {
  await confirmDigestQuery(db, { id, messageRef, postedAt: now.toISOString(), roundId: roundId ?? null });
}
