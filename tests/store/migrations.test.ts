import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { type Migration, Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.ts";
import { migrateToLatest, openDatabase, StartupError } from "../../src/store/database.ts";
import { dialects, freshDatabaseUrl, migratedDatabase } from "../helpers/databases.ts";

describe.each(dialects)("migrations (%s)", (dialect) => {
  it("go up from an empty database and are a no-op the second time", async () => {
    const url = await freshDatabaseUrl(dialect, join(mkdtempSync(join(tmpdir(), "study-bot-")), "m.sqlite"));
    const db = openDatabase(url);
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    expect(Object.keys(migrations)).toEqual([...Object.keys(migrations)].sort());
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "activity",
        "answers",
        "articles",
        "channels",
        "digests",
        "members",
        "meta",
        "questions",
        "reads",
        "reading",
        "rounds",
        "subscriptions",
        "topics",
        "workspaces",
        "slack_installations",
        "processed_events",
      ]),
    );
    await db.destroy();
  });

  it("enforce one open ad hoc round per channel with the partial unique index", async () => {
    const db = await migratedDatabase(dialect);
    const now = new Date().toISOString();
    await db
      .insertInto("workspaces")
      .values({
        id: "w",
        platform: "console",
        external_id: "w",
        name: null,
        timezone: null,
        language: null,
        study_days: null,
        quiz_duration_s: null,
        team_quorum: null,
        created_at: now,
      })
      .execute();
    await db.insertInto("channels").values({ id: "c", workspace_id: "w", external_id: "c" }).execute();
    await db
      .insertInto("questions")
      .values({
        id: "q",
        topic_id: "t",
        difficulty: 1,
        answer: 0,
        body: "{}",
        source_kind: "roadmap",
        source_ref: "t",
        content_hash: "h",
        retired: 0,
        updated_at: now,
      })
      .execute();
    const round = (id: string, kind: "adhoc" | "daily", status: "open" | "closed") =>
      db
        .insertInto("rounds")
        .values({
          id,
          workspace_id: "w",
          channel_id: "c",
          question_id: "q",
          kind,
          status,
          opened_at: now,
          closes_at: now,
          closed_at: null,
          message_ref: null,
          first_correct_member_id: null,
        })
        .execute();
    await round("r1", "adhoc", "open");
    await round("r2", "daily", "open");
    await round("r3", "adhoc", "closed");
    await expect(round("r4", "adhoc", "open")).rejects.toThrow();
  });
});

describe.each(dialects)("score totals migration (%s)", (dialect) => {
  it("folds existing answers and reads into week, month and all-time scores", async () => {
    const db = openDatabase(await freshDatabaseUrl(dialect));
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    await migrator.migrateTo("2026-11-21-07-squads");
    const at = "2026-11-01T00:00:00.000Z";
    await sql`insert into workspaces (id, platform, external_id, created_at) values ('w', 'console', 'w', ${at})`.execute(db);
    await sql`insert into channels (id, workspace_id, external_id) values ('c', 'w', 'c')`.execute(db);
    for (const m of ["a", "b"])
      await sql`insert into members (id, workspace_id, external_id, display_name, created_at) values (${m}, 'w', ${m}, ${m}, ${at})`.execute(
        db,
      );
    await sql`insert into questions (id, topic_id, difficulty, answer, body, source_kind, source_ref, content_hash, retired, updated_at)
      values ('q', 't', 1, 0, '{}', 'roadmap', 't', 'h', 0, ${at})`.execute(db);
    await sql`insert into digests (id, channel_id, workspace_id, local_date, article_url, cycle, status, attempts)
      values ('d', 'c', 'w', '2026-11-22', 'u', 0, 'posted', 1)`.execute(db);
    // Sunday 22 November and Monday 23 November fall in different weeks; 31 October in another month.
    const answers: Array<[string, string, number, string]> = [
      ["r1", "a", 20, "2026-10-31"],
      ["r2", "a", 0, "2026-11-22"],
      ["r3", "a", 25, "2026-11-23"],
      ["r3", "b", 20, "2026-11-23"],
    ];
    for (const [round, member, points, date] of answers) {
      await sql`insert into rounds (id, workspace_id, channel_id, question_id, kind, status, opened_at, closes_at)
        values (${round}, 'w', 'c', 'q', 'daily', 'closed', ${at}, ${at}) on conflict do nothing`.execute(db);
      await sql`insert into answers (round_id, member_id, workspace_id, choice, correct, points, answered_at, local_date)
        values (${round}, ${member}, 'w', 0, ${points > 0 ? 1 : 0}, ${points}, ${`${date}T10:00:00.000Z`}, ${date})`.execute(db);
    }
    await sql`insert into reads (member_id, local_date, workspace_id, digest_id, points, read_at)
      values ('b', '2026-11-22', 'w', 'd', 2, '2026-11-22T09:00:00.000Z')`.execute(db);
    await migrateToLatest(db);
    const rows = await db.selectFrom("scores").selectAll().orderBy("member_id").orderBy("period").orderBy("starts_on").execute();
    const shape = rows.map((r) => [
      r.member_id,
      r.period,
      r.starts_on,
      Number(r.points),
      Number(r.answered),
      Number(r.correct),
      r.last_scored_at,
    ]);
    expect(shape).toEqual([
      ["a", "all", "", 45, 3, 2, "2026-11-23T10:00:00.000Z"],
      ["a", "month", "2026-10-01", 20, 1, 1, "2026-10-31T10:00:00.000Z"],
      ["a", "month", "2026-11-01", 25, 2, 1, "2026-11-23T10:00:00.000Z"],
      ["a", "week", "2026-10-26", 20, 1, 1, "2026-10-31T10:00:00.000Z"],
      ["a", "week", "2026-11-16", 0, 1, 0, null],
      ["a", "week", "2026-11-23", 25, 1, 1, "2026-11-23T10:00:00.000Z"],
      ["b", "all", "", 22, 1, 1, "2026-11-23T10:00:00.000Z"],
      ["b", "month", "2026-11-01", 22, 1, 1, "2026-11-23T10:00:00.000Z"],
      ["b", "week", "2026-11-16", 2, 0, 0, "2026-11-22T09:00:00.000Z"],
      ["b", "week", "2026-11-23", 20, 1, 1, "2026-11-23T10:00:00.000Z"],
    ]);
    expect(rows.find((r) => r.member_id === "a" && r.period === "all")?.first_at).toBe("2026-10-31T10:00:00.000Z");
    await db.destroy();
  });
});

describe("SQLite settings", () => {
  it("turn on WAL, no blocking busy timeout (waits for the lock are asynchronous) and foreign keys", async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), "study-bot-")), "p.sqlite"));
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe("wal");
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    expect(busy.rows[0]?.timeout).toBe(0);
    await db.destroy();
  });
});

describe("opening a bad database file", () => {
  it("names a corrupt file clearly", () => {
    const path = join(mkdtempSync(join(tmpdir(), "study-bot-")), "corrupt.sqlite");
    writeFileSync(path, "this is not a database, just some text that is long enough to have a header".repeat(20));
    expect(() => openDatabase(path)).toThrow(StartupError);
    expect(() => openDatabase(path)).toThrow(/corrupt.sqlite: the file is not a valid SQLite database/);
  });

  it("names a path that cannot hold a database clearly", () => {
    const dir = mkdtempSync(join(tmpdir(), "study-bot-"));
    writeFileSync(join(dir, "plain-file"), "x");
    expect(() => openDatabase(join(dir, "plain-file", "db.sqlite"))).toThrow(/db.sqlite: part of the path is a file, not a folder/);
    expect(() => openDatabase(dir)).toThrow(/the file or its folder is not writable/);
  });
});

describe.each(dialects)("a migration that fails halfway (%s)", (dialect) => {
  it("leaves the database as it was before that migration, keeps the ones before it, and runs again once fixed", async () => {
    const db = openDatabase(await freshDatabaseUrl(dialect, join(mkdtempSync(join(tmpdir(), "study-bot-")), "f.sqlite")));
    await migrateToLatest(db);
    await sql`insert into meta (key, value) values ('probe', 'before')`.execute(db);
    let fixed = false;
    const testMigrations: Record<string, Migration> = {
      ...migrations,
      "9999-12-31-01-test-kept": { up: (db) => db.schema.createTable("kept").addColumn("id", "text").execute() },
      "9999-12-31-02-test-halfway": {
        async up(db) {
          // As migration 08 did: create a table, then crash before filling it.
          await db.schema.createTable("extra").addColumn("id", "text").execute();
          await sql`insert into extra (id) values ('a')`.execute(db);
          await sql`update meta set value = 'during' where key = 'probe'`.execute(db);
          if (!fixed) throw new Error("crashed halfway");
          await sql`insert into extra (id) values ('b')`.execute(db);
        },
      },
    };
    await expect(migrateToLatest(db, { migrations: testMigrations })).rejects.toThrow(
      "migration 9999-12-31-02-test-halfway failed: crashed halfway",
    );
    const tables = async () => (await db.introspection.getTables()).map((t) => t.name);
    expect(await tables()).toContain("kept");
    expect(await tables()).not.toContain("extra");
    const probe = await sql<{ value: string }>`select value from meta where key = 'probe'`.execute(db);
    expect(probe.rows[0]?.value).toBe("before");

    fixed = true;
    expect(await migrateToLatest(db, { migrations: testMigrations })).toEqual(["9999-12-31-02-test-halfway"]);
    const extra = await sql<{ id: string }>`select id from extra order by id`.execute(db);
    expect(extra.rows.map((r) => r.id)).toEqual(["a", "b"]);
    await db.destroy();
  });
});

describe("the copy taken before migrating a SQLite file", () => {
  // The -wal and -shm may outlive the close by a moment (the checkpoint thread closes its connection last).
  const files = (dir: string) =>
    readdirSync(dir)
      .filter((f) => !/-(wal|shm)$/.test(f))
      .sort();
  const latest = Object.keys(migrations).at(-1) as string;

  it("is written beside a database that holds data, holds it as it was, and is logged", async () => {
    const dir = mkdtempSync(join(tmpdir(), "study-bot-"));
    const path = join(dir, "old.sqlite");
    const db = openDatabase(path);
    // A database from the version before the latest migration, with data in it.
    await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(Object.keys(migrations).at(-2) as string);
    await sql`insert into meta (key, value) values ('probe', 'kept')`.execute(db);
    const logged: string[] = [];
    expect(await migrateToLatest(db, { log: { info: (_details, message) => logged.push(message) } })).toEqual([latest]);
    await db.destroy();

    const snapshot = `${path}.before-${latest}.sqlite`;
    expect(logged).toEqual([`copied the database to ${snapshot} before migrating; delete it once the new version runs well`]);
    expect(statSync(snapshot).mode & 0o777).toBe(0o600);
    expect(files(dir)).toEqual(["old.sqlite", `old.sqlite.before-${latest}.sqlite`]);
    const copy = new SqliteDatabase(snapshot, { readonly: true });
    expect(copy.prepare("select value from meta where key = 'probe'").get()).toEqual({ value: "kept" });
    const applied = copy.prepare("select name from kysely_migration").all() as Array<{ name: string }>;
    expect(applied.map((r) => r.name)).not.toContain(latest);
    expect(applied).toHaveLength(Object.keys(migrations).length - 1);
    copy.close();
  });

  it("is not taken for an empty database, nor when nothing is pending", async () => {
    const dir = mkdtempSync(join(tmpdir(), "study-bot-"));
    const db = openDatabase(join(dir, "new.sqlite"));
    const logged: string[] = [];
    const log = { info: (_details: object, message: string) => logged.push(message) };
    await migrateToLatest(db, { log });
    await sql`insert into meta (key, value) values ('probe', 'x')`.execute(db);
    expect(await migrateToLatest(db, { log })).toEqual([]);
    await db.destroy();
    expect(files(dir)).toEqual(["new.sqlite"]);
    expect(logged).toEqual([]);
  });

  it("is kept, not overwritten, when the migration failed and runs again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "study-bot-"));
    const path = join(dir, "db.sqlite");
    const db = openDatabase(path);
    await migrateToLatest(db);
    let fixed = false;
    const more: Record<string, Migration> = {
      ...migrations,
      "9999-12-31-01-test-flaky": {
        async up(db) {
          await sql`insert into meta (key, value) values ('flaky', 'ran')`.execute(db);
          if (!fixed) throw new Error("not yet");
        },
      },
    };
    await expect(migrateToLatest(db, { migrations: more })).rejects.toThrow("not yet");
    const snapshot = `${path}.before-9999-12-31-01-test-flaky.sqlite`;
    const first = statSync(snapshot).mtimeMs;
    fixed = true;
    const logged: string[] = [];
    await migrateToLatest(db, { migrations: more, log: { info: (_details, message) => logged.push(message) } });
    await db.destroy();
    expect(statSync(snapshot).mtimeMs).toBe(first);
    expect(logged).toEqual([`the copy of the database from before 9999-12-31-01-test-flaky is at ${snapshot}`]);
  });
});
