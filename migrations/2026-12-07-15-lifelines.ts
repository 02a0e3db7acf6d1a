import type { Kysely } from "kysely";

// The 50/50 lifeline: who used it in which round, and which wrong choice it kept; and the workspace's switch for it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("lifelines")
    .addColumn("round_id", "text", (c) => c.notNull().references("rounds.id"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("kept_choice", "integer", (c) => c.notNull())
    .addColumn("used_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("lifelines_pk", ["round_id", "member_id"])
    .execute();
  // 0 off; null or 1 on.
  await db.schema.alterTable("workspaces").addColumn("lifelines", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("workspaces").dropColumn("lifelines").execute();
  await db.schema.dropTable("lifelines").execute();
}
