import { randomBytes } from "node:crypto";
import type { Installation } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { StartupError } from "../../src/store/database.ts";
import { encryptSlackInstallations, slackInstallationStore } from "../../src/store/slack.repository.ts";
import { dialects, migratedDatabase } from "../helpers/databases.ts";

const installation = (team: string) =>
  ({
    team: { id: team, name: `Team ${team}` },
    enterprise: undefined,
    user: { id: "U1", token: `xoxp-user-${team}`, scopes: undefined },
    bot: { id: "B1", userId: "UB1", token: `xoxb-bot-${team}`, scopes: ["commands", "chat:write"] },
    tokenType: "bot",
    isEnterpriseInstall: false,
    appId: "A1",
  }) as Installation<"v2", false>;

/** Bolt's query for a workspace install of this team. */
const team = (teamId: string) => ({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });

const [keyA, keyB, keyC] = [randomBytes(32), randomBytes(32), randomBytes(32)];

describe.each(dialects)("Slack installations at rest (%s)", (dialect) => {
  const stored = async (db: Awaited<ReturnType<typeof migratedDatabase>>, team: string) =>
    (await db.selectFrom("slack_installations").select("installation").where("team_id", "=", team).executeTakeFirstOrThrow()).installation;

  it("are stored encrypted with a key, with no token in the row, and read back", async () => {
    const db = await migratedDatabase(dialect);
    const store = slackInstallationStore(db, { key: keyA });
    await store.storeInstallation(installation("T1"));
    const row = await stored(db, "T1");
    expect(row).not.toContain("xoxb-");
    expect(row).not.toContain("xoxp-");
    expect(row).not.toContain("Team T1");
    expect(await store.fetchInstallation(team("T1"))).toEqual(installation("T1"));
    // Two writes of the same installation differ: a fresh nonce each time.
    await store.storeInstallation(installation("T1"));
    expect(await stored(db, "T1")).not.toBe(row);
  });

  it("read a row stored in plain text before the key was set, and encrypt it at start", async () => {
    const db = await migratedDatabase(dialect);
    await slackInstallationStore(db).storeInstallation(installation("T1"));
    expect(await stored(db, "T1")).toContain("xoxb-bot-T1");
    const store = slackInstallationStore(db, { key: keyA });
    expect(await store.fetchInstallation(team("T1"))).toEqual(installation("T1"));

    expect(await encryptSlackInstallations(db, { key: keyA })).toBe(1);
    expect(await stored(db, "T1")).not.toContain("xoxb-");
    expect(await store.fetchInstallation(team("T1"))).toEqual(installation("T1"));
    expect(await encryptSlackInstallations(db, { key: keyA })).toBe(0);
  });

  it("rotate: rows under the previous key read, and are re-encrypted with the new one at start", async () => {
    const db = await migratedDatabase(dialect);
    await slackInstallationStore(db, { key: keyA }).storeInstallation(installation("T1"));
    await slackInstallationStore(db, { key: keyA }).storeInstallation(installation("T2"));
    const rotating = { key: keyB, previous: keyA };
    expect(await slackInstallationStore(db, rotating).fetchInstallation(team("T1"))).toEqual(installation("T1"));
    expect(await encryptSlackInstallations(db, rotating)).toBe(2);
    expect(await encryptSlackInstallations(db, rotating)).toBe(0);
    // The old key can go now.
    const rotated = slackInstallationStore(db, { key: keyB });
    for (const id of ["T1", "T2"]) {
      expect(await rotated.fetchInstallation(team(id))).toEqual(installation(id));
      expect(await stored(db, id)).not.toContain("xoxb-");
    }
    await expect(slackInstallationStore(db, { key: keyA }).fetchInstallation(team("T1"))).rejects.toThrow(/cannot decrypt/);
  });

  it("fail clearly with a wrong key or none, at start and on read", async () => {
    const db = await migratedDatabase(dialect);
    await slackInstallationStore(db, { key: keyA }).storeInstallation(installation("T1"));
    const message =
      "the Slack installation of team T1: cannot decrypt it with STUDY_SECRETS_KEY: it was encrypted with another key (or altered); set STUDY_SECRETS_KEY to the key it was written with, or during a rotation STUDY_SECRETS_KEY_PREVIOUS to the old one";
    await expect(slackInstallationStore(db, { key: keyC }).fetchInstallation(team("T1"))).rejects.toThrow(message);
    await expect(encryptSlackInstallations(db, { key: keyC })).rejects.toThrow(message);
    await expect(encryptSlackInstallations(db, { key: keyC })).rejects.toBeInstanceOf(StartupError);
    await expect(encryptSlackInstallations(db, { key: keyC, previous: keyB })).rejects.toThrow(
      "cannot decrypt it with STUDY_SECRETS_KEY or STUDY_SECRETS_KEY_PREVIOUS",
    );
    await expect(slackInstallationStore(db).fetchInstallation(team("T1"))).rejects.toThrow(
      "the Slack installation of team T1 is encrypted: set STUDY_SECRETS_KEY to the key it was written with",
    );
    // The row is untouched by the failures.
    expect(await slackInstallationStore(db, { key: keyA }).fetchInstallation(team("T1"))).toEqual(installation("T1"));
  });

  it("do not decrypt in another team's row", async () => {
    const db = await migratedDatabase(dialect);
    const store = slackInstallationStore(db, { key: keyA });
    await store.storeInstallation(installation("T1"));
    await store.storeInstallation(installation("T2"));
    await db
      .updateTable("slack_installations")
      .set({ installation: await stored(db, "T1") })
      .where("team_id", "=", "T2")
      .execute();
    await expect(store.fetchInstallation(team("T2"))).rejects.toThrow("the Slack installation of team T2: cannot decrypt it");
  });
});
