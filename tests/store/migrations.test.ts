import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, StartupError } from "../../src/store/database.ts";

describe("migrations", () => {
  it("go up from an empty database and are a no-op the second time", async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), "study-bot-")), "m.sqlite"));
    expect(await migrateToLatest(db)).toEqual(["2026-11-21-initial-schema", "2026-11-21-slack-installs-and-events"]);
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
    expect(tables.rows.map((r) => r.name)).toEqual(
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
      ]),
    );
    await db.destroy();
  });

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
