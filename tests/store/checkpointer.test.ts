import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { startCheckpointer } from "../../src/store/checkpointer.ts";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";

describe("SQLite checkpoints on their own thread", () => {
  it("copy committed pages into the database file while the log is far below the commit's own threshold", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "study-bot-checkpoint-")), "bot.db");
    const db = openDatabase(path);
    try {
      await migrateToLatest(db);
      const before = await settledSize(path);
      // About 200 pages of log: a commit would checkpoint itself only past 1,000 frames (SQLite's default), and here
      // only past 4,000, so only the thread can have put these pages into the file.
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 200; i++) await sql`insert into meta (key, value) values (${`k${i}`}, ${"x".repeat(3000)})`.execute(trx);
      });
      // The thread copies pages in steps: wait for the whole commit, not its first step (a loaded machine showed one).
      await until(() => statSync(path).size > before + 150 * 4096);
      expect(statSync(path).size).toBeGreaterThan(before + 150 * 4096);
    } finally {
      await db.destroy();
    }
  });

  it("hand checkpoints back to the connection's own commits when the thread fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "study-bot-checkpoint-"));
    const sqlite = new Database(join(dir, "bot.db"));
    sqlite.pragma("journal_mode = WAL");
    const threshold = () => sqlite.pragma("wal_autocheckpoint", { simple: true });
    try {
      // The thread cannot open a file that is not there, and stops with an error.
      const stop = startCheckpointer(sqlite, join(dir, "missing.db"));
      expect(threshold()).toBe(4000);
      await until(() => threshold() === 1000);
      stop();
    } finally {
      sqlite.close();
    }
  });
});

/** The database file's size once it has not changed for 300 ms (the thread may still be copying the migrations' pages). */
async function settledSize(path: string): Promise<number> {
  for (let size = -1; ; ) {
    await sleep(300);
    const now = statSync(path).size;
    if (now === size) return now;
    size = now;
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5000) throw new Error("timed out after 5 s");
    await sleep(20);
  }
}
