import { type Kysely, PostgresAdapter, sql } from "kysely";

// How many days a workspace keeps answers (null: forever); and reports that outlive their author: a forgotten member's
// reports keep their note with no member. SQLite cannot drop a NOT NULL, so there the reports table is rebuilt.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("workspaces").addColumn("retention_days", "integer").execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.schema
      .alterTable("reports")
      .alterColumn("member_id", (c) => c.dropNotNull())
      .execute();
    return;
  }
  await db.schema
    .createTable("reports_rebuilt")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("question_id", "text", (c) => c.notNull().references("questions.id"))
    .addColumn("member_id", "text", (c) => c.references("members.id"))
    .addColumn("round_id", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("resolved_at", "text")
    .addUniqueConstraint("reports_one_per_member_round", ["round_id", "member_id"])
    .execute();
  await sql`insert into reports_rebuilt (id, workspace_id, question_id, member_id, round_id, note, created_at, resolved_at)
    select id, workspace_id, question_id, member_id, round_id, note, created_at, resolved_at from reports`.execute(db);
  await db.schema.dropTable("reports").execute();
  await db.schema.alterTable("reports_rebuilt").renameTo("reports").execute();
  await db.schema.createIndex("reports_open").on("reports").columns(["workspace_id", "resolved_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("workspaces").dropColumn("retention_days").execute();
}
