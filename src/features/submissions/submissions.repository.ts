import type { Selectable } from "kysely";
import type { Db } from "../../store/database.ts";
import type { SubmissionsTable } from "../../store/schema.ts";

export type SubmissionStatus = "draft" | "pending" | "approved" | "rejected";

export type SubmissionRow = Selectable<SubmissionsTable>;

/** author_hidden: the author chose /study privacy hide (the approved question's public credit leaves their name out). */
export type SubmissionWithAuthor = SubmissionRow & { author: string; author_hidden: number };

export async function getSubmission(db: Db, id: string): Promise<SubmissionWithAuthor | undefined> {
  return db
    .selectFrom("submissions")
    .innerJoin("members", "members.id", "submissions.member_id")
    .selectAll("submissions")
    .select(["members.display_name as author", "members.hidden as author_hidden"])
    .where("submissions.id", "=", id)
    .executeTakeFirst();
}

export async function insertSubmission(db: Db, row: SubmissionRow): Promise<void> {
  await db.insertInto("submissions").values(row).execute();
}

/** A member's submissions waiting for review. */
export async function countPending(db: Db, workspaceId: string, memberId: string): Promise<number> {
  const row = await db
    .selectFrom("submissions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId)
    .where("member_id", "=", memberId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Changes a submission only if it is still in `from` (so two reviewers, or two replicas, cannot both decide it);
 * true when this call changed it.
 */
export async function updateSubmission(
  db: Db,
  id: string,
  from: SubmissionStatus,
  patch: Partial<Omit<SubmissionRow, "id" | "workspace_id" | "member_id" | "created_at">> & { updated_at: string },
): Promise<boolean> {
  const result = await db.updateTable("submissions").set(patch).where("id", "=", id).where("status", "=", from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// review_ref "" marks a review post in flight: claimed at updated_at, its message not yet recorded.
const posting = "";

/**
 * Claims the review post of a pending submission that has no review message (none yet, or a claim older than
 * `staleBefore`, left by a crash); true for exactly one caller.
 */
export async function claimReviewPost(db: Db, id: string, channel: string, now: string, staleBefore: string): Promise<boolean> {
  const result = await db
    .updateTable("submissions")
    .set({ review_channel: channel, review_ref: posting, updated_at: now })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("review_ref", "is", null), eb.and([eb("review_ref", "=", posting), eb("updated_at", "<", staleBefore)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records the review message of a claimed post, or gives the claim back (null) when the post failed. */
export async function setReviewRef(db: Db, id: string, ref: string | null): Promise<void> {
  await db.updateTable("submissions").set({ review_ref: ref }).where("id", "=", id).where("review_ref", "=", posting).execute();
}

/** Pending submissions of a workspace with no review message (the review channel was unset or refused the post). */
export async function waitingForReviewPost(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("submissions")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("review_ref", "is", null), eb("review_ref", "=", posting)]))
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes a member's drafts: a member keeps one, the latest. */
export async function deleteDrafts(db: Db, workspaceId: string, memberId: string): Promise<void> {
  await db
    .deleteFrom("submissions")
    .where("workspace_id", "=", workspaceId)
    .where("member_id", "=", memberId)
    .where("status", "=", "draft")
    .execute();
}
