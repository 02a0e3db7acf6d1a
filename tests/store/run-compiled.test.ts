import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { precompile } from "../../src/store/precompiled.ts";
import { dialects, migratedDatabase } from "../helpers/databases.ts";

// Inside a SQLite transaction a precompiled query skips kysely's executor (runCompiled); it must still be part of that
// transaction, and a query outside any transaction must never slip into someone else's open one.
const putMeta = precompile(["key", "value"], (db, p) =>
  db
    .insertInto("meta")
    .values({ key: p.key, value: p.value })
    .onConflict((oc) => oc.column("key").doNothing()),
);
const getMeta = precompile(["key"], (db, p) => db.selectFrom("meta").select("value").where("key", "=", p.key));

describe.each(dialects)("precompiled queries in and out of transactions (%s)", (dialect) => {
  it("read their own writes in a transaction, report affected rows, and roll back with it", async () => {
    const db = await migratedDatabase(dialect);
    const seen = await db
      .transaction()
      .execute(async (trx) => {
        const first = await putMeta(trx, { key: "k", value: "1" });
        const again = await putMeta(trx, { key: "k", value: "2" });
        const read = await getMeta(trx, { key: "k" });
        expect([first.numAffectedRows, again.numAffectedRows, read.rows]).toEqual([1n, 0n, [{ value: "1" }]]);
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    expect(seen).toBe("roll back");
    expect((await getMeta(db, { key: "k" })).rows).toEqual([]);
  });

  it("outside a transaction, wait for an open one instead of joining it", async () => {
    const db = await migratedDatabase(dialect);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside = () => {};
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const failing = db
      .transaction()
      .execute(async (trx) => {
        await putMeta(trx, { key: "inside", value: "x" });
        inside();
        await held;
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await entered;
    const outside = putMeta(db, { key: "outside", value: "x" });
    release();
    await Promise.all([failing, outside]);
    expect((await getMeta(db, { key: "inside" })).rows).toEqual([]);
    expect((await getMeta(db, { key: "outside" })).rows).toEqual([{ value: "x" }]);
  });
});

describe("precompiled queries on a SQLite file", () => {
  it("outside any transaction commit on their own: another connection sees the write at once", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "study-bot-")), "direct.sqlite");
    const db = await migratedDatabase("sqlite", path);
    expect((await putMeta(db, { key: "alone", value: "x" })).numAffectedRows).toBe(1n);
    const other = new Database(path, { readonly: true });
    expect(other.prepare("select value from meta where key = 'alone'").all()).toEqual([{ value: "x" }]);
    other.close();
  });
});

describe("SQLite's connection queue", () => {
  it("hands the connection to queries waiting behind a transaction one at a time, in the order they came", async () => {
    const db = await migratedDatabase("sqlite");
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding = db.transaction().execute(async (trx) => {
      await trx.insertInto("meta").values({ key: "first", value: "x" }).execute();
      await held;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const keys = Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, "0")}`);
    const waiting = keys.map((key, i) =>
      i % 10 === 5
        ? db.transaction().execute((trx) => trx.insertInto("meta").values({ key, value: "x" }).execute())
        : db.insertInto("meta").values({ key, value: "x" }).execute(),
    );
    release();
    await Promise.all([holding, ...waiting]);
    const stored = await db
      .selectFrom("meta")
      .select("key")
      .where("key", "in", ["first", ...keys])
      .orderBy(sql`rowid`)
      .execute();
    expect(stored.map((r) => r.key)).toEqual(["first", ...keys]);
  });
});
