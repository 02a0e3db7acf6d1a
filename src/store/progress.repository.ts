import { type Selectable, sql } from "kysely";
import type { Db } from "./database.ts";
import { precompile } from "./precompiled.ts";
import type { AnswersTable } from "./schema.ts";

export type AnswerRow = Selectable<AnswersTable>;

/** Stores an answer unless the member already answered the round; true when this one counts. */
const answerColumns = ["round_id", "member_id", "workspace_id", "choice", "correct", "points", "answered_at", "local_date"] as const;
const insertAnswerQuery = precompile(answerColumns, (db, p) =>
  db
    .insertInto("answers")
    .values(p)
    .onConflict((oc) => oc.columns(["round_id", "member_id"]).doNothing()),
);

export async function insertAnswer(db: Db, answer: AnswerRow): Promise<boolean> {
  return Number((await insertAnswerQuery(db, answer)).numAffectedRows ?? 0) === 1;
}

const addAnswerPointsQuery = precompile(["roundId", "memberId", "points"], (db, p) =>
  db
    .updateTable("answers")
    .set((eb) => ({ points: eb("points", "+", p.points) }))
    .where("round_id", "=", p.roundId)
    .where("member_id", "=", p.memberId),
);

export async function addAnswerPoints(db: Db, roundId: string, memberId: string, points: number): Promise<void> {
  await addAnswerPointsQuery(db, { roundId, memberId, points });
}

const getAnswerQuery = precompile(["roundId", "memberId"], (db, p) =>
  db.selectFrom("answers").selectAll().where("round_id", "=", p.roundId).where("member_id", "=", p.memberId),
);

export async function getAnswer(db: Db, roundId: string, memberId: string): Promise<AnswerRow | undefined> {
  return (await getAnswerQuery(db, { roundId, memberId })).rows[0];
}

/** A round's answers with who gave them (and whether they hide their name), earliest first. */
export async function roundAnswers(db: Db, roundId: string) {
  return db
    .selectFrom("answers")
    .innerJoin("members", "members.id", "answers.member_id")
    .select(["answers.choice", "answers.correct", "answers.answered_at", "members.display_name", "members.hidden"])
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

const recordActivityQuery = precompile(["workspaceId", "memberId", "localDate"], (db, p) =>
  db
    .insertInto("activity")
    .values({ workspace_id: p.workspaceId, member_id: p.memberId, local_date: p.localDate })
    .onConflict((oc) => oc.columns(["member_id", "local_date"]).doNothing()),
);

export async function recordActivity(db: Db, workspaceId: string, memberId: string, localDate: string): Promise<void> {
  await recordActivityQuery(db, { workspaceId, memberId, localDate });
}

/** Each member's active local dates, for the given members of a workspace. */
export async function activeDates(db: Db, workspaceId: string, memberIds: string[]): Promise<Map<string, Set<string>>> {
  const dates = new Map<string, Set<string>>(memberIds.map((id) => [id, new Set()]));
  if (memberIds.length === 0) return dates;
  // Member ids name their workspace; filtering on workspace_id too made SQLite scan the workspace's activity index.
  const rows = await db
    .selectFrom("activity")
    .select(["member_id", "local_date"])
    .where(
      "member_id",
      "in",
      memberIds.filter((id) => id.startsWith(`${workspaceId}:`)),
    )
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

/** A leaderboard period: a week from its Monday, a month from its first day, or all time. */
export type ScorePeriod = { period: "week" | "month"; startsOn: string } | { period: "all" };

/** Points earned or an answer given, to add to the member's week, month and all-time scores. */
export interface ScoreEvent {
  workspaceId: string;
  memberId: string;
  points: number;
  answered: 0 | 1;
  correct: 0 | 1;
  at: string;
  week: string;
  month: string;
}

/** Adds one event to the member's three running scores in one statement. */
export async function addScore(db: Db, e: ScoreEvent): Promise<void> {
  await addScoreQuery(db, { ...e, scoredAt: e.points > 0 ? e.at : null });
}

const addScoreQuery = precompile(
  ["memberId", "workspaceId", "points", "answered", "correct", "scoredAt", "at", "week", "month"],
  (db, e) => {
    const row = {
      member_id: e.memberId,
      workspace_id: e.workspaceId,
      points: e.points,
      answered: e.answered,
      correct: e.correct,
      last_scored_at: e.scoredAt,
      first_at: e.at,
    };
    return db
      .insertInto("scores")
      .values([
        { ...row, period: "week", starts_on: e.week },
        { ...row, period: "month", starts_on: e.month },
        { ...row, period: "all", starts_on: "" },
      ])
      .onConflict((oc) =>
        oc.columns(["member_id", "period", "starts_on"]).doUpdateSet((eb) => ({
          points: eb("scores.points", "+", eb.ref("excluded.points")),
          answered: eb("scores.answered", "+", eb.ref("excluded.answered")),
          correct: eb("scores.correct", "+", eb.ref("excluded.correct")),
          // Replicas' clocks may disagree, so keep the latest and the earliest rather than the last written.
          last_scored_at: eb
            .case()
            .when(eb.ref("excluded.last_scored_at"), ">", eb.fn.coalesce("scores.last_scored_at", eb.val("")))
            .then(eb.ref("excluded.last_scored_at"))
            .else(eb.ref("scores.last_scored_at"))
            .end(),
          first_at: eb
            .case()
            .when(eb.ref("excluded.first_at"), "<", eb.ref("scores.first_at"))
            .then(eb.ref("excluded.first_at"))
            .else(eb.ref("scores.first_at"))
            .end(),
        })),
      );
  },
);

function periodScores(db: Db, workspaceId: string, p: ScorePeriod) {
  return db
    .selectFrom("scores")
    .where("workspace_id", "=", workspaceId)
    .where("period", "=", p.period)
    .where("starts_on", "=", p.period === "all" ? "" : p.startsOn);
}

const scoreColumns = ["member_id", "points", "answered", "correct", "last_scored_at", "first_at"] as const;

function toTotal(r: {
  member_id: string;
  points: number;
  answered: number;
  correct: number;
  last_scored_at: string | null;
  first_at: string;
}) {
  return {
    memberId: r.member_id,
    points: Number(r.points),
    answered: Number(r.answered),
    correct: Number(r.correct),
    reachedAt: r.last_scored_at ?? r.first_at,
  };
}

/** Every member's points, answers and accuracy in a period. */
export async function scoreTotals(db: Db, workspaceId: string, p: ScorePeriod): Promise<ScoreTotal[]> {
  return (await periodScores(db, workspaceId, p).select(scoreColumns).execute()).map(toTotal);
}

/** Orders a board: points, then accuracy, then who got there first. */
export function rankTotals(totals: ScoreTotal[]): ScoreTotal[] {
  const accuracy = (row: ScoreTotal) => (row.answered > 0 ? row.correct / row.answered : 0);
  return [...totals].sort((a, b) => b.points - a.points || accuracy(b) - accuracy(a) || a.reachedAt.localeCompare(b.reachedAt));
}

/** How many members have a score in the period. */
export async function countScores(db: Db, workspaceId: string, p: ScorePeriod): Promise<number> {
  const { count } = await periodScores(db, workspaceId, p)
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(count);
}

export interface ScoreBoard {
  /** The first `size` rows in rank order. */
  top: ScoreTotal[];
  /** The member's own row and rank (1-based), when they have one. */
  self: { row: ScoreTotal; rank: number } | undefined;
}

/**
 * The period's first `size` rows in rank order. Double division in SQL rounds as JavaScript's does, so SQL and
 * rankTotals order rows alike. On PostgreSQL the scores_rank index (migration 2026-11-21-09) repeats these
 * expressions so the rows come from it without a sort: change both together (a test checks the plan).
 */
export function boardTop(db: Db, workspaceId: string, p: ScorePeriod, size: number) {
  return periodScores(db, workspaceId, p)
    .select(scoreColumns)
    .orderBy("points", "desc")
    .orderBy(accuracy, "desc")
    .orderBy(reachedAt)
    .limit(size);
}

const accuracy = sql<number>`case when answered > 0 then cast(correct as double precision) / answered else 0 end`;
const reachedAt = sql<string>`coalesce(last_scored_at, first_at)`;

/** The top of a period's board and one member's place on it, reading a few index ranges rather than every score. */
export async function scoreBoard(db: Db, workspaceId: string, p: ScorePeriod, memberId: string, size: number): Promise<ScoreBoard> {
  const scores = periodScores(db, workspaceId, p);
  // Independent reads run at once: on PostgreSQL each is a round trip of its own.
  const [topRows, own] = await Promise.all([
    boardTop(db, workspaceId, p, size).execute(),
    scores.select(scoreColumns).where("member_id", "=", memberId).executeTakeFirst(),
  ]);
  const top = rankTotals(topRows.map(toTotal));
  const shownAt = top.findIndex((row) => row.memberId === memberId);
  if (shownAt >= 0) return { top, self: { row: top[shownAt] as ScoreTotal, rank: shownAt + 1 } };
  if (!own) return { top, self: undefined };
  const row = toTotal(own);
  const ownAccuracy = row.answered > 0 ? row.correct / row.answered : 0;
  // Ahead of the member: everyone with more points, then those with as many who win the tie-breaks. Two counts,
  // because one with an OR made SQLite read every row of the period.
  const { more } = await scores
    .select((eb) => eb.fn.countAll<number>().as("more"))
    .where("points", ">", row.points)
    .executeTakeFirstOrThrow();
  const { tied } = await scores
    .select((eb) => eb.fn.countAll<number>().as("tied"))
    .where("points", "=", row.points)
    .where((eb) => eb.or([eb(accuracy, ">", ownAccuracy), eb.and([eb(accuracy, "=", ownAccuracy), eb(reachedAt, "<", row.reachedAt)])]))
    .executeTakeFirstOrThrow();
  return { top, self: { row, rank: Number(more) + Number(tied) + 1 } };
}

/** The workspace's (or one member's) answers and correct answers per topic. */
export async function topicAccuracy(
  db: Db,
  workspaceId: string,
  memberId?: string,
): Promise<Map<string, { answered: number; correct: number }>> {
  const rows = await db
    .selectFrom("answers")
    .innerJoin("rounds", "rounds.id", "answers.round_id")
    .innerJoin("questions", "questions.id", "rounds.question_id")
    .select((eb) => ["questions.topic_id", eb.fn.countAll<number>().as("answered"), eb.fn.sum<number>("answers.correct").as("correct")])
    .where("answers.workspace_id", "=", workspaceId)
    .$if(memberId !== undefined, (q) => q.where("answers.member_id", "=", memberId as string))
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
