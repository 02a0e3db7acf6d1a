import type { Kysely } from "kysely";

// Members' question submissions and their review; and the workspace's review channel (a platform channel id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("submissions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    // Where the member submitted from: where they are told the outcome on platforms without direct messages.
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    // draft (did not pass the check), pending, approved or rejected.
    .addColumn("status", "text", (c) => c.notNull())
    // The question as JSON { prompt, choices, answer, explanation, topic }.
    .addColumn("body", "text", (c) => c.notNull())
    // What was last typed but did not pass the check (JSON like body), kept so that a fix starts from it.
    .addColumn("draft", "text")
    .addColumn("review_channel", "text")
    .addColumn("review_ref", "text")
    .addColumn("decided_by", "text")
    .addColumn("reason", "text")
    .addColumn("question_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("submissions_member").on("submissions").columns(["workspace_id", "member_id", "status"]).execute();
  await db.schema.alterTable("workspaces").addColumn("review_channel", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("workspaces").dropColumn("review_channel").execute();
  await db.schema.dropTable("submissions").execute();
}
