import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("SQLite files at rest", () => {
  it("creates the data folder 0700 and the database, its -wal and -shm 0600", async () => {
    const data = join(mkdtempSync(join(tmpdir(), "study-bot-")), "data", "bot");
    const path = join(data, "study-bot.sqlite");
    const db = openDatabase(path);
    await migrateToLatest(db);
    await sql`insert into meta (key, value) values ('probe', 'x')`.execute(db);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(file), file).toBe(true);
      expect(mode(file).toString(8), file).toBe("600");
    }
    expect(mode(data).toString(8)).toBe("700");
    expect(mode(join(data, "..")).toString(8)).toBe("700");
    await db.destroy();
  });

  it("makes an existing world-readable database and its leftover -wal and -shm private", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "study-bot-")), "old.sqlite");
    const old = new SqliteDatabase(path);
    old.pragma("journal_mode = WAL");
    old.exec("create table t (x)");
    // Files made before this version: world-readable, the -wal and -shm as the database itself.
    const copy = new SqliteDatabase(path);
    copy.exec("insert into t values (1)");
    expect(mode(path).toString(8)).toBe("644");
    expect(mode(`${path}-wal`).toString(8)).toBe("644");
    const db = openDatabase(path);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file).toString(8), file).toBe("600");
    await db.destroy();
    copy.close();
    old.close();
  });
});
