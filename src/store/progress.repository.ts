import { type Selectable, sql } from "kysely";
import type { Db } from "./database.ts";
import type { AnswersTable } from "./schema.ts";

export type AnswerRow = Selectable<AnswersTable>;

/** Stores an answer unless the member already answered the round; true when this one counts. */
export async function insertAnswer(db: Db, answer: AnswerRow): Promise<boolean> {
  const result = await db
    .insertInto("answers")
    .values(answer)
    .onConflict((oc) => oc.columns(["round_id", "member_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function addAnswerPoints(db: Db, roundId: string, memberId: string, points: number): Promise<void> {
  await db
    .updateTable("answers")
    .set((eb) => ({ points: eb("points", "+", points) }))
    .where("round_id", "=", roundId)
    .where("member_id", "=", memberId)
    .execute();
}

export async function getAnswer(db: Db, roundId: string, memberId: string): Promise<AnswerRow | undefined> {
  return db.selectFrom("answers").selectAll().where("round_id", "=", roundId).where("member_id", "=", memberId).executeTakeFirst();
}

/** A round's answers with who gave them, earliest first. */
export async function roundAnswers(db: Db, roundId: string) {
  return db
    .selectFrom("answers")
    .innerJoin("members", "members.id", "answers.member_id")
    .select(["answers.choice", "answers.correct", "answers.answered_at", "members.display_name"])
    .where("answers.round_id", "=", roundId)
    .orderBy("answers.answered_at")
    .orderBy("members.display_name")
    .execute();
}

export async function countRoundAnswers(db: Db, roundId: string): Promise<number> {
  const row = await db
    .selectFrom("answers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("round_id", "=", roundId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stores today's article read; false when the member already read one today. */
export async function insertRead(
  db: Db,
  read: { memberId: string; localDate: string; workspaceId: string; digestId: string; points: number; at: Date },
): Promise<boolean> {
  const result = await db
    .insertInto("reads")
    .values({
      member_id: read.memberId,
      local_date: read.localDate,
      workspace_id: read.workspaceId,
      digest_id: read.digestId,
      points: read.points,
      read_at: read.at.toISOString(),
    })
    .onConflict((oc) => oc.columns(["member_id", "local_date"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function recordActivity(db: Db, workspaceId: string, memberId: string, localDate: string): Promise<void> {
  await db
    .insertInto("activity")
    .values({ workspace_id: workspaceId, member_id: memberId, local_date: localDate })
    .onConflict((oc) => oc.columns(["member_id", "local_date"]).doNothing())
    .execute();
}

/** Each member's active local dates, for the given members of a workspace. */
export async function activeDates(db: Db, workspaceId: string, memberIds: string[]): Promise<Map<string, Set<string>>> {
  const dates = new Map<string, Set<string>>(memberIds.map((id) => [id, new Set()]));
  if (memberIds.length === 0) return dates;
  const rows = await db
    .selectFrom("activity")
    .select(["member_id", "local_date"])
    .where("workspace_id", "=", workspaceId)
    .where("member_id", "in", memberIds)
    .execute();
  for (const row of rows) dates.get(row.member_id)?.add(row.local_date);
  return dates;
}

/** How many members were active on each local date. */
export async function activeMemberCounts(db: Db, workspaceId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("activity")
    .select(["local_date", (eb) => eb.fn.countAll<number>().as("n")])
    .where("workspace_id", "=", workspaceId)
    .groupBy("local_date")
    .execute();
  return new Map(rows.map((r) => [r.local_date, Number(r.n)]));
}

export interface ScoreTotal {
  memberId: string;
  points: number;
  answered: number;
  correct: number;
  /** When the member last earned points (or first appeared, with none): the tie-break "who got there first". */
  reachedAt: string;
}

/** Points, answers and accuracy per member from a local date (all time when undefined), up to `until` (exclusive) if given. */
export async function scoreTotals(db: Db, workspaceId: string, since: string | undefined, until?: string): Promise<ScoreTotal[]> {
  const answers = db
    .selectFrom("answers")
    .select(["member_id", "points", "correct", sql<number>`1`.as("answered"), "answered_at as at"])
    .where("workspace_id", "=", workspaceId)
    .$if(since !== undefined, (q) => q.where("local_date", ">=", since as string))
    .$if(until !== undefined, (q) => q.where("local_date", "<", until as string));
  const reads = db
    .selectFrom("reads")
    .select(["member_id", "points", sql<number>`0`.as("correct"), sql<number>`0`.as("answered"), "read_at as at"])
    .where("workspace_id", "=", workspaceId)
    .$if(since !== undefined, (q) => q.where("local_date", ">=", since as string))
    .$if(until !== undefined, (q) => q.where("local_date", "<", until as string));
  const rows = await db
    .selectFrom(answers.unionAll(reads).as("events"))
    .select((eb) => [
      "member_id",
      eb.fn.sum<number>("points").as("points"),
      eb.fn.sum<number>("answered").as("answered"),
      eb.fn.sum<number>("correct").as("correct"),
      eb.fn.max(eb.case().when("points", ">", 0).then(eb.ref("at")).end()).as("last_scored_at"),
      eb.fn.min("at").as("first_at"),
    ])
    .groupBy("member_id")
    .execute();
  return rows.map((r) => ({
    memberId: r.member_id,
    points: Number(r.points),
    answered: Number(r.answered),
    correct: Number(r.correct),
    reachedAt: String(r.last_scored_at ?? r.first_at),
  }));
}

/** The workspace's answers and correct answers per topic. */
export async function topicAccuracy(db: Db, workspaceId: string): Promise<Map<string, { answered: number; correct: number }>> {
  const rows = await db
    .selectFrom("answers")
    .innerJoin("rounds", "rounds.id", "answers.round_id")
    .innerJoin("questions", "questions.id", "rounds.question_id")
    .select((eb) => ["questions.topic_id", eb.fn.countAll<number>().as("answered"), eb.fn.sum<number>("answers.correct").as("correct")])
    .where("answers.workspace_id", "=", workspaceId)
    .groupBy("questions.topic_id")
    .execute();
  return new Map(rows.map((r) => [r.topic_id, { answered: Number(r.answered), correct: Number(r.correct) }]));
}

/** The workspace's answers and correct answers per question, optionally within [since, until) local dates. */
export async function questionAccuracy(
  db: Db,
  workspaceId: string,
  window?: { since: string; until: string },
): Promise<Map<string, { answered: number; correct: number }>> {
  const rows = await db
    .selectFrom("answers")
    .innerJoin("rounds", "rounds.id", "answers.round_id")
    .select((eb) => ["rounds.question_id", eb.fn.countAll<number>().as("answered"), eb.fn.sum<number>("answers.correct").as("correct")])
    .where("answers.workspace_id", "=", workspaceId)
    .$if(window !== undefined, (q) =>
      q.where("answers.local_date", ">=", window?.since as string).where("answers.local_date", "<", window?.until as string),
    )
    .groupBy("rounds.question_id")
    .execute();
  return new Map(rows.map((r) => [r.question_id, { answered: Number(r.answered), correct: Number(r.correct) }]));
}
