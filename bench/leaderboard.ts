import { join } from "node:path";
import Database from "better-sqlite3";
import { Migrator, sql } from "kysely";
import { migrations } from "../migrations/index.ts";
import { readCheckedContent, seedDatabase } from "../src/content/seed.ts";
import { type Db, migrateToLatest, openDatabase } from "../src/store/database.ts";
import { boardCooldownMs } from "../src/study-bot.ts";
import { startEmbeddedPostgres } from "../tests/helpers/embedded-postgres.ts";
import { percentile, type Result } from "./harness.ts";
import { actor, benchBot, benchDir, where } from "./setup.ts";

const now = new Date("2026-11-25T10:00:00Z");
const days = 56;
const weekStart = "2026-11-23";

interface Timings {
  week: number;
  all: number;
  /** The same boards summed from every answer, as the bot did before scores were kept on write. */
  scanWeek: number;
  scanAll: number;
}

async function p95(runs: number, work: () => Promise<unknown>): Promise<number> {
  // One untimed run first: the first command also loads the bot's caches and SQLite's pages.
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return percentile(samples, 95);
}

/** Times the week and all-time leaderboards (the whole command, streaks of the shown rows included) and the scans. */
async function timeBoards(db: Db, runs: number): Promise<Timings> {
  let at = now.getTime();
  const bot = benchBot(db, { now: () => new Date(at) });
  // Each run a cooldown after the last, as a channel gets a board (any sooner is refused without building it).
  const board = (text: string) => () => {
    at += boardCooldownMs;
    return bot.command({ address: where("C0"), actor: actor("m1"), text });
  };
  const scan = (since: string) => () =>
    db
      .selectFrom("answers")
      .select((eb) => ["member_id", eb.fn.sum<number>("points").as("points")])
      .where("workspace_id", "=", "console:W")
      .where("local_date", ">=", since)
      .groupBy("member_id")
      .orderBy("points", "desc")
      .limit(25)
      .execute();
  const result = {
    week: await p95(runs, board("leaderboard week")),
    all: await p95(runs, board("leaderboard all")),
    scanWeek: await p95(Math.min(runs, 5), scan(weekStart)),
    scanAll: await p95(Math.min(runs, 5), scan("")),
  };
  bot.stop();
  return result;
}

/**
 * Migrates to just before the scores table, so that its migration backfills scores from the bulk-loaded answers, and
 * stores the one bank question the answers point at, with only the columns of that schema (later migrations add more:
 * seedAfterMigrating imports the whole content once they have run).
 */
async function migrateBeforeScores(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo("2026-11-21-07-squads");
  if (error) throw error;
  const [question] = readCheckedContent().content.questions;
  if (!question) throw new Error("the bank has no questions");
  await sql`insert into questions (id, topic_id, difficulty, answer, body, source_kind, source_ref, content_hash, retired, updated_at)
    values (${question.id}, ${question.topic}, ${question.difficulty}, 0, '{}', 'roadmap', ${question.topic}, '', 0, ${now.toISOString()})`.execute(
    db,
  );
}

/** The rest of the migrations (scores backfilled), then the whole content. */
async function seedAfterMigrating(db: Db): Promise<void> {
  await migrateToLatest(db);
  await seedDatabase(db, now);
}

/** SQLite: members, rounds, answers and activity written straight through better-sqlite3 in one transaction. */
async function sqliteBoards(members: number, answers: number, runs: number) {
  const path = join(benchDir(), "leaderboard.sqlite");
  const db = openDatabase(path);
  await migrateBeforeScores(db);
  const { id: questionId } = await db.selectFrom("questions").select("id").executeTakeFirstOrThrow();
  await db.destroy();
  const raw = new Database(path);
  raw.pragma("journal_mode = WAL");
  raw.transaction(() => {
    const at = now.toISOString();
    raw.prepare("insert into workspaces (id, platform, external_id, created_at) values ('console:W', 'console', 'W', ?)").run(at);
    raw.prepare("insert into channels (id, workspace_id, external_id) values ('console:W:C0', 'console:W', 'C0')").run();
    const member = raw.prepare(
      "insert into members (id, workspace_id, external_id, display_name, created_at) values (?, 'console:W', ?, ?, ?)",
    );
    for (let m = 0; m < members; m++) member.run(`console:W:m${m}`, `m${m}`, `m${m}`, at);
    const round = raw.prepare(
      "insert into rounds (id, workspace_id, channel_id, question_id, kind, status, opened_at, closes_at) values (?, 'console:W', 'console:W:C0', ?, 'adhoc', 'closed', ?, ?)",
    );
    const roundCount = Math.ceil(answers / members);
    for (let r = 0; r < roundCount; r++) round.run(`r${r}`, questionId, at, at);
    const answer = raw.prepare(
      "insert into answers (round_id, member_id, workspace_id, choice, correct, points, answered_at, local_date) values (?, ?, 'console:W', 0, ?, ?, ?, ?)",
    );
    const activity = raw.prepare("insert or ignore into activity (member_id, local_date, workspace_id) values (?, ?, 'console:W')");
    let written = 0;
    for (let r = 0; r < roundCount && written < answers; r++) {
      const date = new Date(now.getTime() - (r % days) * 86_400_000).toISOString().slice(0, 10);
      for (let m = 0; m < members && written < answers; m++, written++) {
        const correct = (m * 7 + r) % 3 === 0 ? 0 : 1;
        answer.run(`r${r}`, `console:W:m${m}`, correct, correct * 20, `${date}T10:00:00.000Z`, date);
        activity.run(`console:W:m${m}`, date);
      }
    }
  })();
  raw.close();
  const db2 = openDatabase(path);
  await seedAfterMigrating(db2);
  const times = await timeBoards(db2, runs);
  await db2.destroy();
  return times;
}

/** PostgreSQL from npm, filled with generate_series on the server. */
async function postgresBoards(members: number, answers: number, runs: number) {
  const server = await startEmbeddedPostgres();
  try {
    const admin = openDatabase(server.adminUrl);
    await sql`create database bench`.execute(admin);
    await admin.destroy();
    const db = openDatabase(server.adminUrl.replace(/\/postgres$/, "/bench"));
    await migrateBeforeScores(db);
    const { id: questionId } = await db.selectFrom("questions").select("id").executeTakeFirstOrThrow();
    const at = now.toISOString();
    const roundCount = Math.ceil(answers / members);
    await sql`insert into workspaces (id, platform, external_id, created_at) values ('console:W', 'console', 'W', ${at})`.execute(db);
    await sql`insert into channels (id, workspace_id, external_id) values ('console:W:C0', 'console:W', 'C0')`.execute(db);
    await sql`insert into members (id, workspace_id, external_id, display_name, created_at)
      select 'console:W:m' || m, 'console:W', 'm' || m, 'm' || m, ${at} from generate_series(0, ${members - 1}) m`.execute(db);
    await sql`insert into rounds (id, workspace_id, channel_id, question_id, kind, status, opened_at, closes_at)
      select 'r' || r, 'console:W', 'console:W:C0', ${questionId}, 'adhoc', 'closed', ${at}, ${at} from generate_series(0, ${roundCount - 1}) r`.execute(
      db,
    );
    await sql`insert into answers (round_id, member_id, workspace_id, choice, correct, points, answered_at, local_date)
      select 'r' || r, 'console:W:m' || m, 'console:W', 0, case when (m * 7 + r) % 3 = 0 then 0 else 1 end,
        case when (m * 7 + r) % 3 = 0 then 0 else 20 end,
        to_char(${at}::timestamptz - ((r % ${days}) || ' days')::interval, 'YYYY-MM-DD') || 'T10:00:00.000Z',
        to_char(${at}::timestamptz - ((r % ${days}) || ' days')::interval, 'YYYY-MM-DD')
      from generate_series(0, ${roundCount - 1}) r, generate_series(0, ${members - 1}) m
      where r * ${members} + m < ${answers}`.execute(db);
    await sql`insert into activity (member_id, local_date, workspace_id)
      select distinct member_id, local_date, 'console:W' from answers`.execute(db);
    await seedAfterMigrating(db);
    await sql`analyze`.execute(db);
    const times = await timeBoards(db, runs);
    await db.destroy();
    return times;
  } finally {
    await server.stop();
  }
}

/** Week and all-time leaderboards for 10,000 members and 1,000,000 answers, on SQLite and on PostgreSQL. */
export async function leaderboardBenchmark(quick: boolean): Promise<Result[]> {
  const members = quick ? 2_000 : 10_000;
  const answers = quick ? 100_000 : 1_000_000;
  const runs = quick ? 5 : 30;
  const results: Result[] = [];
  for (const [dialect, measure] of [
    ["sqlite", sqliteBoards],
    ["postgres", postgresBoards],
  ] as const) {
    const times = await measure(members, answers, runs);
    for (const window of ["week", "all"] as const) {
      const baseline = window === "week" ? times.scanWeek : times.scanAll;
      results.push({
        name: `leaderboard-${window}-${dialect}`,
        figure: times[window],
        unit: "ms p95",
        baseline,
        ratio: baseline / times[window],
        target: "< 20 ms",
        pass: times[window] < 20,
      });
    }
  }
  return results;
}
