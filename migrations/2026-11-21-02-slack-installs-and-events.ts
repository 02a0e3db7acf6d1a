import type { Kysely } from "kysely";

// Slack OAuth installs (one row per workspace) and the ids of Events API deliveries already handled.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("slack_installations")
    .addColumn("team_id", "text", (c) => c.primaryKey())
    .addColumn("installation", "text", (c) => c.notNull())
    .addColumn("installed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("processed_events")
    .addColumn("event_id", "text", (c) => c.primaryKey())
    .addColumn("received_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("processed_events").execute();
  await db.schema.dropTable("slack_installations").execute();
}
