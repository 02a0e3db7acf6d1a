import type { Kysely } from "kysely";

// Monthly seasons: a finished season's champion per workspace (and how moving the champion role went), its final
// standings posted once per channel like the weekly recap, and the workspace's champion role (a Discord role id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("seasons")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    // YYYY-MM: the calendar month in the workspace's timezone.
    .addColumn("season", "text", (c) => c.notNull())
    .addColumn("champion_member_id", "text")
    // pending (claimed, not yet moved), moved, failed or none (no role configured, or no champion).
    .addColumn("role_status", "text", (c) => c.notNull())
    .addColumn("role_detail", "text")
    .addColumn("decided_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("seasons_pk", ["workspace_id", "season"])
    .execute();
  await db.schema
    .createTable("season_posts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("channel_id", "text", (c) => c.notNull().references("channels.id"))
    .addColumn("season", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text", (c) => c.notNull())
    .addColumn("message_ref", "text")
    .addUniqueConstraint("season_posts_channel_season", ["channel_id", "season"])
    .execute();
  await db.schema.alterTable("workspaces").addColumn("champion_role", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("workspaces").dropColumn("champion_role").execute();
  await db.schema.dropTable("season_posts").execute();
  await db.schema.dropTable("seasons").execute();
}
