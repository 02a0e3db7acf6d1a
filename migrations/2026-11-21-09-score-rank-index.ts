import { type Kysely, PostgresAdapter, sql } from "kysely";

// PostgreSQL reads a board's top rows from this index instead of sorting the period's every score (npm run bench:
// 10,000 members). SQLite gets none: with points indexed its week board and its answer writes got slower.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  // The same keys as scoreBoard's ORDER BY, expressions written alike, or the planner will not use it.
  await sql`create index scores_rank on scores (workspace_id, period, starts_on, points desc,
    (case when answered > 0 then cast(correct as double precision) / answered else 0 end) desc,
    (coalesce(last_scored_at, first_at)))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await db.schema.dropIndex("scores_rank").execute();
}
