import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
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

describe("SQLite settings", () => {
  it("turn on WAL, a busy timeout and foreign keys", async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), "study-bot-")), "p.sqlite"));
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe("wal");
    expect(fk.rows[0]?.foreign_keys).toBe(1);
    expect(busy.rows[0]?.timeout).toBe(5000);
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
