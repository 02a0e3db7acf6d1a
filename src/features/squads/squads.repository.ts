import type { Db } from "../../store/database.ts";

export async function upsertSquad(db: Db, workspaceId: string, name: string, groupId: string): Promise<void> {
  await db
    .insertInto("squads")
    .values({ workspace_id: workspaceId, name, group_id: groupId })
    .onConflict((oc) => oc.columns(["workspace_id", "name"]).doUpdateSet({ group_id: groupId }))
    .execute();
}

export async function listSquads(db: Db, workspaceId: string) {
  return db.selectFrom("squads").select(["name", "group_id"]).where("workspace_id", "=", workspaceId).orderBy("name").execute();
}

/** Replaces the groups a member was last seen in (Discord sends a member's roles with every interaction). */
export async function setMemberGroups(db: Db, workspaceId: string, memberId: string, groupIds: readonly string[]): Promise<void> {
  // Every Discord interaction reports the roles; most of the time they have not changed and nothing is written.
  const current = await db.selectFrom("member_groups").select("group_id").where("member_id", "=", memberId).execute();
  const known = new Set(current.map((r) => r.group_id));
  if (known.size === new Set(groupIds).size && groupIds.every((id) => known.has(id))) return;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("member_groups").where("member_id", "=", memberId).execute();
    if (groupIds.length > 0) {
      await trx
        .insertInto("member_groups")
        .values(groupIds.map((group_id) => ({ member_id: memberId, group_id, workspace_id: workspaceId })))
        .execute();
    }
  });
}

/** Member ids last seen in a group. */
export async function membersSeenIn(db: Db, workspaceId: string, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("member_groups")
    .select("member_id")
    .where("workspace_id", "=", workspaceId)
    .where("group_id", "=", groupId)
    .execute();
  return rows.map((r) => r.member_id);
}
