import type { Kysely } from "kysely";

// The channel where a member last typed a /study command or answered a quiz (a channels.id): where Quiz me on their
// home posts; null until then, and after a post there was refused.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("members").addColumn("last_channel_id", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("members").dropColumn("last_channel_id").execute();
}
