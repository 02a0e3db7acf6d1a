import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Installation } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { slackInstallationStore } from "../../src/store/slack.repository.ts";
import { studyBot } from "../helpers/cli.ts";

const installation = { team: { id: "T1", name: "One" }, bot: { token: "xoxb-one", userId: "UB", scopes: [] } } as unknown as Installation;

/** Bolt's query for a workspace install of this team. */
const team = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });

describe("STUDY_SECRETS_KEY at start (the real entry point)", () => {
  it("encrypts the installations stored in plain text, and a wrong key stops the start with one clear line", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "study-bot-secrets-")), "db.sqlite");
    let db = openDatabase(path);
    await migrateToLatest(db);
    await slackInstallationStore(db).storeInstallation(installation);
    await db.destroy();
    const key = randomBytes(32);

    const start = await studyBot(["digest", "run-due"], {
      env: { LOG_LEVEL: "info", DATABASE_URL: path, STUDY_SECRETS_KEY: key.toString("base64") },
    });
    expect(start.code, start.stderr).toBe(0);
    expect(start.stderr).toContain("encrypted 1 Slack installation(s) with STUDY_SECRETS_KEY");
    db = openDatabase(path);
    const row = await db.selectFrom("slack_installations").select("installation").executeTakeFirstOrThrow();
    expect(row.installation).not.toContain("xoxb-");
    expect(await slackInstallationStore(db, { key }).fetchInstallation(team("T1"))).toEqual(installation);
    await db.destroy();

    const wrong = await studyBot(["digest", "run-due"], {
      env: { LOG_LEVEL: "info", DATABASE_URL: path, STUDY_SECRETS_KEY: randomBytes(32).toString("base64") },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe("");
    expect(wrong.stderr.trim().split("\n").at(-1)).toBe(
      "study-bot: the Slack installation of team T1: cannot decrypt it with STUDY_SECRETS_KEY: it was encrypted with another key (or altered); set STUDY_SECRETS_KEY to the key it was written with, or during a rotation STUDY_SECRETS_KEY_PREVIOUS to the old one",
    );
  });
});
