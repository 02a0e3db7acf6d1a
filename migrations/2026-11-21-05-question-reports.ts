import type { Kysely } from "kysely";

// Members' reports of a wrong or unclear question, open until an admin resolves them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("question_id", "text", (c) => c.notNull().references("questions.id"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("round_id", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("resolved_at", "text")
    .addUniqueConstraint("reports_one_per_member_round", ["round_id", "member_id"])
    .execute();
  await db.schema.createIndex("reports_open").on("reports").columns(["workspace_id", "resolved_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("reports").execute();
}
