import type { Db } from "./database.ts";

/**
 * Deletes every row a workspace owns, in one transaction and in the order its foreign keys allow; the content
 * (topics, articles, the bank's questions) is shared and stays; the workspace's own packs and their questions go. Returns the rows deleted per table, or undefined when there is no
 * such workspace.
 */
export async function forgetWorkspace(db: Db, workspaceId: string): Promise<Record<string, number> | undefined> {
  return db.transaction().execute(async (trx) => {
    const workspace = await trx
      .selectFrom("workspaces")
      .select(["platform", "external_id"])
      .where("id", "=", workspaceId)
      .executeTakeFirst();
    if (!workspace) return undefined;
    const deleted: Record<string, number> = {};
    const count = (table: string, result: { numDeletedRows: bigint }) => {
      deleted[table] = Number(result.numDeletedRows);
    };
    // Rows that point at members, rounds and digests go first, then those, then channels and members, then the workspace.
    for (const table of [
      "reads",
      "answers",
      "lifelines",
      "submissions",
      "activity",
      "cards",
      "member_groups",
      "reports",
      "scores",
      "digests",
    ] as const) {
      count(table, await trx.deleteFrom(table).where("workspace_id", "=", workspaceId).executeTakeFirst());
    }
    const channels = trx.selectFrom("channels").select("id").where("workspace_id", "=", workspaceId);
    count("recaps", await trx.deleteFrom("recaps").where("channel_id", "in", channels).executeTakeFirst());
    count("season_posts", await trx.deleteFrom("season_posts").where("channel_id", "in", channels).executeTakeFirst());
    for (const table of ["rounds", "subscriptions", "squads", "channels", "members", "packs", "questions"] as const) {
      count(table, await trx.deleteFrom(table).where("workspace_id", "=", workspaceId).executeTakeFirst());
    }
    count("workspaces", await trx.deleteFrom("workspaces").where("id", "=", workspaceId).executeTakeFirst());
    if (workspace.platform === "slack") {
      count(
        "slack_installations",
        await trx.deleteFrom("slack_installations").where("team_id", "=", workspace.external_id).executeTakeFirst(),
      );
    }
    return deleted;
  });
}
