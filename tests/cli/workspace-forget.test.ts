import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { studyBot } from "../helpers/cli.ts";

describe("study-bot workspace forget <platform>:<id> (the built entry point)", () => {
  it("deletes the workspace and says what it deleted; an unknown one exits 1, a malformed one 2", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "study-bot-forget-")), "bot.sqlite");
    const db = openDatabase(path);
    await migrateToLatest(db);
    await db
      .insertInto("workspaces")
      .values({ id: "slack:T9", platform: "slack", external_id: "T9", created_at: new Date().toISOString() })
      .execute();
    await db.destroy();

    const forgot = await studyBot(["workspace", "forget", "slack:T9"], { env: { DATABASE_URL: path } });
    expect(forgot).toMatchObject({ code: 0, stdout: "forgot slack:T9: 1 workspaces\n" });
    expect(await studyBot(["workspace", "forget", "slack:T9"], { env: { DATABASE_URL: path } })).toMatchObject({
      code: 1,
      stderr: "no workspace slack:T9 in this database\n",
    });
    const malformed = await studyBot(["workspace", "forget", "T9"], { env: { DATABASE_URL: path } });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("give forget and one workspace as <platform>:<id>");
  });
});
