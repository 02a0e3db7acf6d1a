import { CompiledQuery } from "kysely";
import { describe, expect, it } from "vitest";
import { boardTop } from "../../src/store/progress.repository.ts";
import { migratedDatabase } from "../helpers/databases.ts";

describe("PostgreSQL leaderboard plan", () => {
  it("reads a board's top rows from the scores_rank index, with no sort", async () => {
    const db = await migratedDatabase("postgres");
    const plans = await db.connection().execute(async (conn) => {
      // An empty table would be scanned whole; with scans and sorts priced out, the plan shows what the index can serve.
      await conn.executeQuery(CompiledQuery.raw("set enable_seqscan = off"));
      await conn.executeQuery(CompiledQuery.raw("set enable_sort = off"));
      const explain = async (query: CompiledQuery) =>
        (await conn.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]))).rows
          .map((r) => r["QUERY PLAN"])
          .join("\n");
      return [
        await explain(boardTop(db, "slack:T1", { period: "week", startsOn: "2026-11-23" }, 25).compile()),
        await explain(boardTop(db, "slack:T1", { period: "all" }, 25).compile()),
      ];
    });
    for (const plan of plans) {
      expect(plan).toContain("scores_rank");
      expect(plan).not.toMatch(/Sort/);
    }
  });
});
