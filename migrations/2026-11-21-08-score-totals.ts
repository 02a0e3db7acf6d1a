import { type Kysely, sql } from "kysely";

// Points per member per week, month and all time, kept on write, so a leaderboard reads a few rows instead of
// summing every answer (npm run bench: 10,000 members and 1,000,000 answers).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("scores")
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("answered", "integer", (c) => c.notNull())
    .addColumn("correct", "integer", (c) => c.notNull())
    .addColumn("last_scored_at", "text")
    .addColumn("first_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("scores_pk", ["member_id", "period", "starts_on"])
    .execute();
  // Without points in the index an answer's score update rewrites no index entry; a board sorts one period's rows.
  await db.schema.createIndex("scores_board").on("scores").columns(["workspace_id", "period", "starts_on"]).execute();
  await backfill(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("scores").execute();
}

interface Score {
  member_id: string;
  period: string;
  starts_on: string;
  workspace_id: string;
  points: number;
  answered: number;
  correct: number;
  last_scored_at: string | null;
  first_at: string;
}

/** Folds the existing answers and reads, summed per member and day, into week, month and all-time rows. */
async function backfill(db: Kysely<unknown>): Promise<void> {
  const days = await sql<{
    workspace_id: string;
    member_id: string;
    local_date: string;
    points: number;
    answered: number;
    correct: number;
    last_scored_at: string | null;
    first_at: string;
  }>`
    select workspace_id, member_id, local_date, sum(points) as points, sum(answered) as answered, sum(correct) as correct,
      max(case when points > 0 then at end) as last_scored_at, min(at) as first_at
    from (
      select workspace_id, member_id, local_date, points, 1 as answered, correct, answered_at as at from answers
      union all
      select workspace_id, member_id, local_date, points, 0 as answered, 0 as correct, read_at as at from reads
    ) events
    group by workspace_id, member_id, local_date`.execute(db);
  const scores = new Map<string, Score>();
  for (const day of days.rows) {
    for (const [period, startsOn] of [
      ["week", mondayOf(day.local_date)],
      ["month", `${day.local_date.slice(0, 8)}01`],
      ["all", ""],
    ]) {
      const key = `${day.member_id}|${period}|${startsOn}`;
      const score = scores.get(key);
      if (!score) {
        scores.set(key, {
          member_id: day.member_id,
          period: period as string,
          starts_on: startsOn as string,
          workspace_id: day.workspace_id,
          points: Number(day.points),
          answered: Number(day.answered),
          correct: Number(day.correct),
          last_scored_at: day.last_scored_at,
          first_at: day.first_at,
        });
        continue;
      }
      score.points += Number(day.points);
      score.answered += Number(day.answered);
      score.correct += Number(day.correct);
      if (day.last_scored_at && (!score.last_scored_at || day.last_scored_at > score.last_scored_at))
        score.last_scored_at = day.last_scored_at;
      if (day.first_at < score.first_at) score.first_at = day.first_at;
    }
  }
  const rows = [...scores.values()];
  // 1,000 rows of 9 values stay under SQLite's and PostgreSQL's limits on bound parameters.
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto("scores" as never)
      .values(rows.slice(i, i + 1000) as never)
      .execute();
  }
}

/** Monday of a YYYY-MM-DD date's ISO week (kept here so this migration never changes with the code). */
function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}
