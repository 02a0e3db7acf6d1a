import type { Kysely } from "kysely";

// A member's due cards are read through the primary key (member_id first), a few hundred rows at most. The second
// index on (member_id, due) was a second random-position insert for every answer: a quarter of the pages an answer
// batch wrote to SQLite's log (npm run bench, answers).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("cards_member_due").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("cards_member_due").on("cards").columns(["member_id", "due"]).execute();
}
