import type { Kysely } from "kysely";

// One spaced-repetition card per member and question answered, scheduled by FSRS.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("cards")
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("question_id", "text", (c) => c.notNull().references("questions.id"))
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("previous_state", "text")
    .addColumn("due", "text", (c) => c.notNull())
    .addColumn("reviewed_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("cards_pk", ["member_id", "question_id"])
    .execute();
  await db.schema.createIndex("cards_member_due").on("cards").columns(["member_id", "due"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("cards").execute();
}
