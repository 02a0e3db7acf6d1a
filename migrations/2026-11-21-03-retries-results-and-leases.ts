import type { Kysely } from "kysely";

// Digest retries with backoff, a confirmation that a round's results were edited in, and leases for replicas.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("digests")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("digests").addColumn("next_attempt_at", "text").execute();
  await db.schema.alterTable("digests").addColumn("last_error", "text").execute();
  await db.schema.alterTable("rounds").addColumn("results_claimed_at", "text").execute();
  await db.schema.alterTable("rounds").addColumn("results_edited_at", "text").execute();
  await db.schema
    .createTable("leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("leases").execute();
  await db.schema.alterTable("rounds").dropColumn("results_edited_at").execute();
  await db.schema.alterTable("rounds").dropColumn("results_claimed_at").execute();
  for (const column of ["last_error", "next_attempt_at", "attempts"]) await db.schema.alterTable("digests").dropColumn(column).execute();
}
