import type { Db } from "../../store/database.ts";

/** Sets a stored member's choice; true when it changed. */
export async function setHidden(db: Db, memberId: string, hidden: boolean): Promise<boolean> {
  const result = await db
    .updateTable("members")
    .set({ hidden: hidden ? 1 : 0 })
    .where("id", "=", memberId)
    .where("hidden", "=", hidden ? 0 : 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function isHidden(db: Db, memberId: string): Promise<boolean> {
  const row = await db.selectFrom("members").select("hidden").where("id", "=", memberId).executeTakeFirst();
  return Number(row?.hidden ?? 0) === 1;
}

/** The display names of a workspace's hidden members, for admins. */
export async function hiddenMemberNames(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("members")
    .select("display_name")
    .where("workspace_id", "=", workspaceId)
    .where("hidden", "=", 1)
    .orderBy("display_name")
    .execute();
  return rows.map((r) => r.display_name);
}
