import type { Db } from "./database.ts";

/**
 * Takes or renews a named lease: true when `holder` now holds it until now + ttl. It is taken over
 * only once expired, so exactly one replica runs a job while any can take over when the holder dies.
 */
export async function acquireLease(db: Db, name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto("leases")
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ holder, expires_at: expiresAt })
        .where((eb) => eb.or([eb("leases.expires_at", "<", now.toISOString()), eb("leases.holder", "=", holder)])),
    )
    .execute();
  const row = await db.selectFrom("leases").select(["holder", "expires_at"]).where("name", "=", name).executeTakeFirst();
  return row?.holder === holder && row.expires_at === expiresAt;
}

/** Gives a lease up at shutdown, so another replica need not wait for it to expire. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom("leases").where("name", "=", name).where("holder", "=", holder).execute();
}
