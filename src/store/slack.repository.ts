import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Db } from "./database.ts";
import { decryptSecret, encryptSecret, isEncrypted, type SecretKeys, SecretsError } from "./secrets.ts";

/**
 * Bolt's installation store over the project's database: one deployment serves many workspaces. With `keys` each
 * installation (its tokens) is stored encrypted; rows stored in plain text, or under the previous key, still read.
 */
export function slackInstallationStore(db: Db, keys?: SecretKeys): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const teamId = installation.team?.id;
      if (!teamId) throw new Error("only workspace installs are supported (no team id in the installation)");
      const json = JSON.stringify(installation);
      const row = {
        team_id: teamId,
        installation: keys ? encryptSecret(json, keys.key, installationContext(teamId)) : json,
        installed_at: new Date().toISOString(),
      };
      await db
        .insertInto("slack_installations")
        .values(row)
        .onConflict((oc) => oc.column("team_id").doUpdateSet({ installation: row.installation, installed_at: row.installed_at }))
        .execute();
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await db
        .selectFrom("slack_installations")
        .select("installation")
        .where("team_id", "=", query.teamId ?? "")
        .executeTakeFirst();
      if (!row) throw new Error(`no installation for team ${query.teamId}`);
      return JSON.parse(readInstallation(row.installation, query.teamId ?? "", keys).json);
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await db
        .deleteFrom("slack_installations")
        .where("team_id", "=", query.teamId ?? "")
        .execute();
    },
  };
}

const installationContext = (teamId: string) => `the Slack installation of team ${teamId}`;

/** A stored installation's JSON, and whether it is stored as `keys` would store it now. */
function readInstallation(stored: string, teamId: string, keys: SecretKeys | undefined): { json: string; current: boolean } {
  if (!isEncrypted(stored)) return { json: stored, current: !keys };
  if (!keys) {
    throw new SecretsError(`${installationContext(teamId)} is encrypted: set STUDY_SECRETS_KEY to the key it was written with`);
  }
  const { plain, previous } = decryptSecret(stored, keys, installationContext(teamId));
  return { json: plain, current: !previous };
}

/**
 * Run at start with a key: encrypts the installations still in plain text and re-encrypts those under the previous
 * key, so that after one start the previous key can go. Throws a SecretsError, naming the team, for a row neither key
 * opens. Returns how many rows it rewrote.
 */
export async function encryptSlackInstallations(db: Db, keys: SecretKeys): Promise<number> {
  const rows = await db.selectFrom("slack_installations").select(["team_id", "installation"]).execute();
  let rewritten = 0;
  for (const row of rows) {
    const { json, current } = readInstallation(row.installation, row.team_id, keys);
    if (current) continue;
    // Only if unchanged: an install saved meanwhile (another replica) is already stored with a current key.
    const result = await db
      .updateTable("slack_installations")
      .set({ installation: encryptSecret(json, keys.key, installationContext(row.team_id)) })
      .where("team_id", "=", row.team_id)
      .where("installation", "=", row.installation)
      .executeTakeFirst();
    rewritten += Number(result.numUpdatedRows);
  }
  return rewritten;
}

/** Whether an Events API event's work is done already: Slack retries deliveries, and each is handled once. */
export async function eventHandled(db: Db, eventId: string): Promise<boolean> {
  return (await db.selectFrom("processed_events").select("event_id").where("event_id", "=", eventId).executeTakeFirst()) !== undefined;
}

/** Recorded once the event's work is done: a retry of an event whose work failed is handled again. */
export async function markEventHandled(db: Db, eventId: string, now: Date): Promise<void> {
  await db
    .insertInto("processed_events")
    .values({ event_id: eventId, received_at: now.toISOString() })
    .onConflict((oc) => oc.column("event_id").doNothing())
    .execute();
}
