import type { Kysely } from "kysely";

// Squads map a platform group (Slack user group, Discord role) to a name; member_groups remembers the groups members were seen in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("squads")
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("group_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("squads_pk", ["workspace_id", "name"])
    .execute();
  await db.schema
    .createTable("member_groups")
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("group_id", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("member_groups_pk", ["member_id", "group_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("member_groups").execute();
  await db.schema.dropTable("squads").execute();
}
