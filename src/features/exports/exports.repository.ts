import type { Db } from "../../store/database.ts";

/** A member's answers, oldest first, with the round's question and its right choice. */
export function memberAnswers(db: Db, workspaceId: string, memberId: string) {
  return db
    .selectFrom("answers")
    .innerJoin("rounds", "rounds.id", "answers.round_id")
    .innerJoin("questions", "questions.id", "rounds.question_id")
    .select([
      "answers.round_id",
      "answers.local_date",
      "answers.answered_at",
      "answers.choice",
      "answers.correct",
      "answers.points",
      "rounds.question_id",
      "questions.topic_id",
    ])
    .where("answers.workspace_id", "=", workspaceId)
    .where("answers.member_id", "=", memberId)
    .orderBy("answers.answered_at")
    .orderBy("answers.round_id")
    .execute();
}

/** A member's article reads, oldest first, with the article's URL. */
export function memberReads(db: Db, workspaceId: string, memberId: string) {
  return db
    .selectFrom("reads")
    .leftJoin("digests", "digests.id", "reads.digest_id")
    .select(["reads.local_date", "reads.read_at", "reads.points", "digests.article_url"])
    .where("reads.workspace_id", "=", workspaceId)
    .where("reads.member_id", "=", memberId)
    .orderBy("reads.read_at")
    .execute();
}

/** Every member of the workspace, hidden or not, by name. */
export function workspaceMembers(db: Db, workspaceId: string) {
  return db
    .selectFrom("members")
    .select(["id", "external_id", "display_name"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("display_name")
    .orderBy("id")
    .execute();
}

/** Every member's weekly score rows: points, answers and right answers, by the Monday the week starts on. */
export function weeklyScores(db: Db, workspaceId: string) {
  return db
    .selectFrom("scores")
    .select(["member_id", "starts_on", "points", "answered", "correct"])
    .where("workspace_id", "=", workspaceId)
    .where("period", "=", "week")
    .execute();
}

/** Every member's active local dates. */
export function activityDays(db: Db, workspaceId: string) {
  return db.selectFrom("activity").select(["member_id", "local_date"]).where("workspace_id", "=", workspaceId).execute();
}
