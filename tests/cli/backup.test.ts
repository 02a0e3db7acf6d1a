import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { projectRoot as root, studyBot } from "../helpers/cli.ts";

describe("study-bot backup", () => {
  it("copies a SQLite database that another connection holds open, commits still in its -wal included", async () => {
    const dir = mkdtempSync(join(tmpdir(), "study-bot-backup-"));
    const path = join(dir, "live.sqlite");
    const db = openDatabase(path);
    await migrateToLatest(db);
    await db.destroy();
    // A reader from before the writes below: no checkpoint (this connection's, or the closed database's checkpoint
    // thread, which stops a moment after the close) can copy them into the file while it stays open.
    const reader = new SqliteDatabase(path);
    reader.prepare("begin").run();
    reader.prepare("select count(*) from meta").get();
    // Another process's connection, as a running bot's: its commits stay in the -wal, and it stays open.
    const live = new SqliteDatabase(path);
    live.pragma("wal_autocheckpoint = 0");
    const insert = live.prepare("insert into meta (key, value) values (?, ?)");
    for (let i = 0; i < 100; i++) insert.run(`row-${i}`, "committed");
    // What copying the .sqlite file alone would keep: none of them.
    copyFileSync(path, join(dir, "naive.sqlite"));
    const naive = new SqliteDatabase(join(dir, "naive.sqlite"));
    expect(naive.prepare("select count(*) as n from meta where value = 'committed'").get()).toEqual({ n: 0 });
    naive.close();
    live.prepare("begin").run();
    insert.run("row-uncommitted", "in flight");

    const target = join(dir, "copy.sqlite");
    const { stdout, stderr, code } = await studyBot(["backup", target], { env: { DATABASE_URL: path } });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`backed up to ${target}`);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.startsWith("copy"))).toEqual(["copy.sqlite"]);

    const copy = new SqliteDatabase(target, { readonly: true, fileMustExist: true });
    expect(copy.prepare("select count(*) as n from meta where value = 'committed'").get()).toEqual({ n: 100 });
    expect(copy.prepare("select count(*) as n from meta where key = 'row-uncommitted'").get()).toEqual({ n: 0 });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
    live.prepare("commit").run();
    live.close();
    reader.prepare("commit").run();
    reader.close();
  });

  it("refuses to overwrite a file, and names a missing database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "study-bot-backup-"));
    const path = join(dir, "db.sqlite");
    const db = openDatabase(path);
    await migrateToLatest(db);
    await db.destroy();
    const exists = await studyBot(["backup", path], { env: { DATABASE_URL: path } });
    expect(exists.code).toBe(1);
    expect(exists.stderr.trim()).toBe(`study-bot: backup: ${path} already exists; name a new file`);
    const missing = await studyBot(["backup", join(dir, "copy.sqlite")], { env: { DATABASE_URL: join(dir, "nope.sqlite") } });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`study-bot: backup: there is no database at ${join(dir, "nope.sqlite")} (DATABASE_URL)`);
    expect(existsSync(join(dir, "nope.sqlite"))).toBe(false);
    const noFile = await studyBot(["backup"], { env: { DATABASE_URL: path } });
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("Usage: study-bot backup <file>");
  });

  it("on PostgreSQL says to use pg_dump and exits 1", async () => {
    const { stdout, stderr, code } = await studyBot(["backup", "out.dump"], {
      env: { DATABASE_URL: "postgres://study_bot:secret@127.0.0.1:1/study_bot" },
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe(
      'study-bot: backup copies SQLite databases only; for PostgreSQL use pg_dump: pg_dump --format=custom --file=out.dump "$DATABASE_URL"',
    );
    expect(existsSync(join(root, "out.dump"))).toBe(false);
  });
});
