import type { Db } from "./database.ts";

/**
 * Takes over a claim left unconfirmed since `staleClaimedAt` (a crash between the platform call and the commit):
 * true for exactly one caller, and only if nobody renewed the claim meanwhile. Digests, recaps and season standings share the discipline.
 */
export async function reclaim(
  db: Db,
  table: "digests" | "recaps" | "season_posts",
  id: string,
  staleClaimedAt: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ claimed_at: now.toISOString() })
    .where("id", "=", id)
    .where("status", "=", "claimed")
    .where("claimed_at", "=", staleClaimedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
