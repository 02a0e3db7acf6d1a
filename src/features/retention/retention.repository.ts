import type { Db } from "../../store/database.ts";

/** Workspaces that keep answers for a limited time. */
export async function workspacesWithRetention(db: Db): Promise<Array<{ id: string }>> {
  return db.selectFrom("workspaces").select("id").where("retention_days", "is not", null).execute();
}

/**
 * Deletes at most `batch` of a workspace's answers from local days before `beforeDate`, none of an open round, in one
 * statement (its own short transaction); returns how many.
 */
export async function deleteOldAnswers(db: Db, workspaceId: string, beforeDate: string, batch: number): Promise<number> {
  const result = await db
    .deleteFrom("answers")
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple("round_id", "member_id"),
        "in",
        selectFrom("answers as old")
          .innerJoin("rounds", "rounds.id", "old.round_id")
          .select(["old.round_id", "old.member_id"])
          .where("old.workspace_id", "=", workspaceId)
          .where("old.local_date", "<", beforeDate)
          .where("rounds.status", "=", "closed")
          .limit(batch)
          .$asTuple("round_id", "member_id"),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes at most `batch` of a workspace's article reads from local days before `beforeDate`; returns how many. */
export async function deleteOldReads(db: Db, workspaceId: string, beforeDate: string, batch: number): Promise<number> {
  const result = await db
    .deleteFrom("reads")
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple("member_id", "local_date"),
        "in",
        selectFrom("reads as old")
          .select(["old.member_id", "old.local_date"])
          .where("old.workspace_id", "=", workspaceId)
          .where("old.local_date", "<", beforeDate)
          .limit(batch)
          .$asTuple("member_id", "local_date"),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes at most `batch` of a workspace's 50/50s used before `before` in rounds now closed; returns how many. */
export async function deleteOldLifelines(db: Db, workspaceId: string, before: Date, batch: number): Promise<number> {
  const result = await db
    .deleteFrom("lifelines")
    .where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple("round_id", "member_id"),
        "in",
        selectFrom("lifelines as old")
          .innerJoin("rounds", "rounds.id", "old.round_id")
          .select(["old.round_id", "old.member_id"])
          .where("old.workspace_id", "=", workspaceId)
          .where("old.used_at", "<", before.toISOString())
          .where("rounds.status", "=", "closed")
          .limit(batch)
          .$asTuple("round_id", "member_id"),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
