import type { Db } from "../../store/database.ts";

/** A workspace's last closed rounds, newest first, with how many answered and how many were right. */
export async function recentRounds(db: Db, workspaceId: string, limit: number) {
  const rows = await db
    .selectFrom("rounds")
    .leftJoin("answers", "answers.round_id", "rounds.id")
    .select((eb) => [
      "rounds.id",
      "rounds.question_id",
      "rounds.opened_at",
      "rounds.kind",
      eb.fn.count<number>("answers.member_id").as("answered"),
      eb.fn.sum<number>(eb.fn.coalesce("answers.correct", eb.lit(0))).as("correct"),
    ])
    .where("rounds.workspace_id", "=", workspaceId)
    .where("rounds.status", "=", "closed")
    .groupBy(["rounds.id", "rounds.question_id", "rounds.opened_at", "rounds.kind"])
    .orderBy("rounds.opened_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, answered: Number(r.answered), correct: Number(r.correct ?? 0) }));
}

/** The questions a member last got wrong, newest first, each once. */
export async function missedQuestions(db: Db, workspaceId: string, memberId: string, limit: number) {
  const rows = await db
    .selectFrom("answers")
    .innerJoin("rounds", "rounds.id", "answers.round_id")
    .select((eb) => ["rounds.question_id", eb.fn.max("answers.answered_at").as("answered_at")])
    .where("answers.workspace_id", "=", workspaceId)
    .where("answers.member_id", "=", memberId)
    .where("answers.correct", "=", 0)
    .groupBy("rounds.question_id")
    .orderBy("answered_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ questionId: r.question_id, answeredAt: String(r.answered_at) }));
}

/** A workspace's subscribed channels with their status and the reason of a failure. */
export function subscriptionsOf(db: Db, workspaceId: string) {
  return db
    .selectFrom("subscriptions")
    .innerJoin("channels", "channels.id", "subscriptions.channel_id")
    .select(["channels.external_id as channel", "subscriptions.post_time", "subscriptions.status", "subscriptions.failure_reason"])
    .where("subscriptions.workspace_id", "=", workspaceId)
    .orderBy("channels.external_id")
    .execute();
}
