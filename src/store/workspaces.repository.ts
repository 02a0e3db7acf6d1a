import type { Selectable, Updateable } from "kysely";
import type { Db } from "./database.ts";
import type { MembersTable, SubscriptionsTable, WorkspacesTable } from "./schema.ts";

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type MemberRow = Selectable<MembersTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;

export async function ensureWorkspace(
  db: Db,
  ws: { id: string; platform: string; externalId: string; name: string | null },
  now: Date,
): Promise<WorkspaceRow> {
  await db
    .insertInto("workspaces")
    .values({ id: ws.id, platform: ws.platform, external_id: ws.externalId, name: ws.name, created_at: now.toISOString() })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  return db.selectFrom("workspaces").selectAll().where("id", "=", ws.id).executeTakeFirstOrThrow();
}

export async function updateWorkspace(db: Db, id: string, patch: Updateable<WorkspacesTable>): Promise<void> {
  await db.updateTable("workspaces").set(patch).where("id", "=", id).execute();
}

export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom("workspaces").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Adds the member on first sight and keeps the display name current. */
export async function ensureMember(
  db: Db,
  m: { id: string; workspaceId: string; externalId: string; displayName: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto("members")
    .values({
      id: m.id,
      workspace_id: m.workspaceId,
      external_id: m.externalId,
      display_name: m.displayName,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column("id").doUpdateSet({ display_name: m.displayName }))
    .execute();
}

export async function findMember(db: Db, workspaceId: string, nameOrExternalId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom("members")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([eb("external_id", "=", nameOrExternalId), eb("display_name", "=", nameOrExternalId)]))
    .executeTakeFirst();
}

export async function membersByIds(db: Db, workspaceId: string, ids: string[]): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("members").selectAll().where("workspace_id", "=", workspaceId).where("id", "in", ids).execute();
}

export async function countMembers(db: Db, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom("members")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function ensureChannel(db: Db, c: { id: string; workspaceId: string; externalId: string }): Promise<void> {
  await db
    .insertInto("channels")
    .values({ id: c.id, workspace_id: c.workspaceId, external_id: c.externalId })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
}

export async function upsertSubscription(
  db: Db,
  s: { channelId: string; workspaceId: string; postTime: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto("subscriptions")
    .values({
      channel_id: s.channelId,
      workspace_id: s.workspaceId,
      post_time: s.postTime,
      status: "active",
      failure_reason: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.column("channel_id").doUpdateSet({ post_time: s.postTime, status: "active", failure_reason: null, updated_at: at }),
    )
    .execute();
}

export async function deleteSubscription(db: Db, channelId: string): Promise<boolean> {
  const result = await db.deleteFrom("subscriptions").where("channel_id", "=", channelId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function getSubscription(db: Db, channelId: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom("subscriptions").selectAll().where("channel_id", "=", channelId).executeTakeFirst();
}

/** Active subscriptions with what the due check needs: the channel's platform ids and the workspace's settings. */
export async function activeSubscriptions(db: Db) {
  return db
    .selectFrom("subscriptions")
    .innerJoin("channels", "channels.id", "subscriptions.channel_id")
    .innerJoin("workspaces", "workspaces.id", "subscriptions.workspace_id")
    .select([
      "subscriptions.channel_id",
      "subscriptions.post_time",
      "channels.external_id as channel_external_id",
      "workspaces.id as workspace_id",
      "workspaces.platform",
      "workspaces.external_id as workspace_external_id",
      "workspaces.timezone",
      "workspaces.language",
      "workspaces.study_days",
      "workspaces.quiz_duration_s",
      "workspaces.team_quorum",
      "workspaces.question_source",
      "workspaces.lifelines",
      "workspaces.champion_role",
      "workspaces.thread",
    ])
    .where("subscriptions.status", "=", "active")
    .execute();
}

export type ActiveSubscription = Awaited<ReturnType<typeof activeSubscriptions>>[number];

/** Stops posting to one channel, or to every channel of a workspace, keeping the reason for /study config. */
export async function markSubscriptionsFailing(
  db: Db,
  scope: { channelId: string } | { workspaceId: string },
  reason: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable("subscriptions")
    .set({ status: "failing", failure_reason: reason, updated_at: now.toISOString() })
    .$if("channelId" in scope, (q) => q.where("channel_id", "=", (scope as { channelId: string }).channelId))
    .$if("workspaceId" in scope, (q) => q.where("workspace_id", "=", (scope as { workspaceId: string }).workspaceId))
    .execute();
}
