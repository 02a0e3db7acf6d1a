import type { Kysely } from "kysely";

// A workspace's own question packs. Their questions live in `questions` beside the bank's, marked with the workspace
// and the pack (the bank's have neither), so rounds, answers, reviews and reports treat both alike.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("packs")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("author", "text")
    .addColumn("language", "text")
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("questions", "integer", (c) => c.notNull())
    // The pack's topics as JSON [{ id, name }]: a flat list shown under the Team branch.
    .addColumn("topics", "text", (c) => c.notNull())
    .addColumn("file", "text", (c) => c.notNull())
    .addColumn("imported_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("packs_pk", ["workspace_id", "id"])
    .execute();
  await db.schema.alterTable("questions").addColumn("workspace_id", "text").execute();
  await db.schema.alterTable("questions").addColumn("pack_id", "text").execute();
  await db.schema.createIndex("questions_pack").on("questions").columns(["workspace_id", "pack_id"]).execute();
  // builtin, team or both (null: both).
  await db.schema.alterTable("workspaces").addColumn("question_source", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("workspaces").dropColumn("question_source").execute();
  await db.schema.dropIndex("questions_pack").execute();
  await db.schema.alterTable("questions").dropColumn("pack_id").execute();
  await db.schema.alterTable("questions").dropColumn("workspace_id").execute();
  await db.schema.dropTable("packs").execute();
}
