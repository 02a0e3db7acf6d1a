import type { Selectable } from "kysely";
import type { Db } from "../../store/database.ts";
import type { SeasonsTable } from "../../store/schema.ts";

export type SeasonRow = Selectable<SeasonsTable>;

export async function getSeason(db: Db, workspaceId: string, season: string): Promise<SeasonRow | undefined> {
  return db.selectFrom("seasons").selectAll().where("workspace_id", "=", workspaceId).where("season", "=", season).executeTakeFirst();
}

/** Records a finished season's champion once per workspace; true for exactly one caller (the one that moves the role). */
export async function claimSeason(db: Db, row: SeasonRow): Promise<boolean> {
  const result = await db
    .insertInto("seasons")
    .values(row)
    .onConflict((oc) => oc.columns(["workspace_id", "season"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Takes over a role move left pending since `staleDecidedAt` (a crash); true for exactly one caller. */
export async function reclaimSeason(db: Db, workspaceId: string, season: string, staleDecidedAt: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("seasons")
    .set({ decided_at: now.toISOString() })
    .where("workspace_id", "=", workspaceId)
    .where("season", "=", season)
    .where("role_status", "=", "pending")
    .where("decided_at", "=", staleDecidedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function finishRoleMove(
  db: Db,
  workspaceId: string,
  season: string,
  status: "moved" | "withheld" | "failed",
  detail: string | null,
) {
  await db
    .updateTable("seasons")
    .set({ role_status: status, role_detail: detail })
    .where("workspace_id", "=", workspaceId)
    .where("season", "=", season)
    .execute();
}

/** The workspace's latest decided season: what /study config says about the champion role. */
export async function latestSeason(db: Db, workspaceId: string): Promise<SeasonRow | undefined> {
  return db.selectFrom("seasons").selectAll().where("workspace_id", "=", workspaceId).orderBy("season", "desc").limit(1).executeTakeFirst();
}

export async function getSeasonPost(db: Db, channelId: string, season: string) {
  return db.selectFrom("season_posts").selectAll().where("channel_id", "=", channelId).where("season", "=", season).executeTakeFirst();
}

export async function claimSeasonPost(db: Db, post: { id: string; channelId: string; season: string }, now: Date): Promise<boolean> {
  const result = await db
    .insertInto("season_posts")
    .values({
      id: post.id,
      channel_id: post.channelId,
      season: post.season,
      status: "claimed",
      claimed_at: now.toISOString(),
      message_ref: null,
    })
    .onConflict((oc) => oc.columns(["channel_id", "season"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function confirmSeasonPost(db: Db, id: string, messageRef: string): Promise<void> {
  await db.updateTable("season_posts").set({ status: "posted", message_ref: messageRef }).where("id", "=", id).execute();
}

export async function releaseSeasonPost(db: Db, id: string): Promise<void> {
  await db.deleteFrom("season_posts").where("id", "=", id).where("status", "=", "claimed").execute();
}
