import type { Kysely } from "kysely";

// One weekly recap per channel and week, claimed before it is posted, like the daily digest.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("recaps")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("channel_id", "text", (c) => c.notNull().references("channels.id"))
    .addColumn("week_start", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text", (c) => c.notNull())
    .addColumn("message_ref", "text")
    .addUniqueConstraint("recaps_channel_week", ["channel_id", "week_start"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("recaps").execute();
}
