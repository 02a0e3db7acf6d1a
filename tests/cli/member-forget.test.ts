import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { studyBot } from "../helpers/cli.ts";

describe("study-bot member forget <platform>:<workspace>:<user> (the built entry point)", () => {
  it("deletes the member and says what it deleted; an unknown member exits 1 and a malformed key 2, changing nothing", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "study-bot-member-forget-")), "bot.sqlite");
    const db = openDatabase(path);
    await migrateToLatest(db);
    const now = new Date().toISOString();
    await db.insertInto("workspaces").values({ id: "slack:T9", platform: "slack", external_id: "T9", created_at: now }).execute();
    for (const user of ["U1", "U2"]) {
      const id = `slack:T9:${user}`;
      await db
        .insertInto("members")
        .values({ id, workspace_id: "slack:T9", external_id: user, display_name: `name ${user}`, created_at: now })
        .execute();
      await db.insertInto("activity").values({ member_id: id, workspace_id: "slack:T9", local_date: "2026-11-23" }).execute();
    }
    await db.destroy();
    const env = { DATABASE_URL: path };
    const remaining = async () => {
      const check = openDatabase(path);
      try {
        return (await check.selectFrom("activity").select("member_id").orderBy("member_id").execute()).map((r) => r.member_id);
      } finally {
        await check.destroy();
      }
    };

    for (const malformed of ["slack:T9", "U1", "teams:T9:U1"]) {
      const refused = await studyBot(["member", "forget", malformed], { env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("member: give forget and one member as <platform>:<workspace>:<user>");
    }
    expect(await studyBot(["member", "forget", "slack:T9:U404"], { env })).toMatchObject({
      code: 1,
      stderr: "no member slack:T9:U404 in this database\n",
    });
    expect(await remaining()).toEqual(["slack:T9:U1", "slack:T9:U2"]);

    expect(await studyBot(["member", "forget", "slack:T9:U1"], { env })).toMatchObject({
      code: 0,
      stdout: "forgot slack:T9:U1: 1 activity, 1 members\n",
    });
    expect(await remaining()).toEqual(["slack:T9:U2"]);
    expect(await studyBot(["member", "forget", "slack:T9:U1"], { env })).toMatchObject({ code: 1 });
  });
});
