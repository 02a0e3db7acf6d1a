import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseBusyError } from "../../src/core/ports.ts";
import { type Db, migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { getMeta, setMeta } from "../../src/store/meta.repository.ts";

let db: Db | undefined;
let blocker: Database.Database | undefined;
afterEach(async () => {
  if (blocker?.inTransaction) blocker.exec("ROLLBACK");
  blocker?.close();
  await db?.destroy();
  db = blocker = undefined;
});

async function lockedDatabase() {
  const path = join(mkdtempSync(join(tmpdir(), "study-bot-busy-")), "bot.sqlite");
  db = openDatabase(path);
  await migrateToLatest(db);
  blocker = new Database(path);
  blocker.exec("BEGIN IMMEDIATE");
  return db;
}

/** The longest the event loop went without running a 10 ms timer while `work` ran. */
async function longestStall(work: Promise<unknown>): Promise<number> {
  let last = Date.now();
  let longest = 0;
  const timer = setInterval(() => {
    longest = Math.max(longest, Date.now() - last);
    last = Date.now();
  }, 10);
  await work.finally(() => clearInterval(timer));
  return longest;
}

describe("SQLite write lock held by another process", () => {
  it("writes and transactions wait for it without blocking the event loop, and none is lost", async () => {
    const locked = await lockedDatabase();
    setTimeout(() => blocker?.exec("ROLLBACK"), 1500);
    const writes = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? setMeta(locked, `plain-${i}`, "x") : locked.transaction().execute((trx) => setMeta(trx, `trx-${i}`, "y")),
    );
    const stall = await longestStall(Promise.all(writes));
    // No attempt blocks; the old 5 s busy timeout blocked the event loop for the whole lock.
    expect(stall).toBeLessThan(500);
    for (let i = 0; i < 20; i++) expect(await getMeta(locked, `${i % 2 === 0 ? "plain" : "trx"}-${i}`)).toBeDefined();
  });

  it("gives up after its budget with DatabaseBusyError, and the database works once the lock is gone", async () => {
    const locked = await lockedDatabase();
    const started = Date.now();
    await expect(setMeta(locked, "k", "v")).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(locked.transaction().execute((trx) => setMeta(trx, "k", "v"))).rejects.toBeInstanceOf(DatabaseBusyError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 4000);
    blocker?.exec("ROLLBACK");
    await setMeta(locked, "k", "v");
    expect(await getMeta(locked, "k")).toBe("v");
  }, 30_000);
});
