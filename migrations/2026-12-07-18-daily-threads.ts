import type { Kysely } from "kysely";

// The daily discussion thread: the workspace's switch for it, and the thread a round was posted in (Slack: the root
// message's ts; Discord: the thread's channel id, which is the root message's id).
export async function up(db: Kysely<unknown>): Promise<void> {
  // 0 off; null or 1 on.
  await db.schema.alterTable("workspaces").addColumn("thread", "integer").execute();
  await db.schema.alterTable("rounds").addColumn("thread_id", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("rounds").dropColumn("thread_id").execute();
  await db.schema.alterTable("workspaces").dropColumn("thread").execute();
}
