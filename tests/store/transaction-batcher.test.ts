import { describe, expect, it } from "vitest";
import { getMeta, setMeta } from "../../src/store/meta.repository.ts";
import { TransactionBatcher } from "../../src/store/transaction-batcher.ts";
import { dialects, migratedDatabase } from "../helpers/databases.ts";

describe.each(dialects)("transaction batcher (%s)", (dialect) => {
  it("commits work that arrives together, and a failing piece fails alone", async () => {
    const db = await migratedDatabase(dialect);
    const batcher = new TransactionBatcher(db);
    let transactions = 0;
    const counted = new TransactionBatcher({
      transaction: () => {
        transactions++;
        return db.transaction();
      },
    } as unknown as typeof db);
    await Promise.all(["a", "b", "c"].map((key) => counted.run((trx) => setMeta(trx, key, key))));
    // One shared transaction for the three.
    expect(transactions).toBe(1);

    const results = await Promise.allSettled([
      batcher.run(async (trx) => {
        await setMeta(trx, "kept-1", "x");
        return 1;
      }),
      batcher.run(async (trx) => {
        await setMeta(trx, "lost", "x");
        throw new Error("bad write");
      }),
      batcher.run(async (trx) => {
        await setMeta(trx, "kept-2", "x");
        return 2;
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([1, "bad write", 2]);
    expect(await getMeta(db, "kept-1")).toBe("x");
    expect(await getMeta(db, "kept-2")).toBe("x");
    // The failing work's own write was rolled back with it.
    expect(await getMeta(db, "lost")).toBeUndefined();
  });
});
