import type { Kysely } from "kysely";

// A round's results edit that fails is retried with backoff and given up after a bounded number of tries, as digests are.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("rounds")
    .addColumn("results_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("rounds").addColumn("results_next_attempt_at", "text").execute();
  // Set when the edit was given up: the round no longer waits for results.
  await db.schema.alterTable("rounds").addColumn("results_failure", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ["results_failure", "results_next_attempt_at", "results_attempts"]) {
    await db.schema.alterTable("rounds").dropColumn(column).execute();
  }
}
