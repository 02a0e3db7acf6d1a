import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Db } from "./database.ts";

/** Bolt's installation store over the project's database: one deployment serves many workspaces. */
export function slackInstallationStore(db: Db): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const teamId = installation.team?.id;
      if (!teamId) throw new Error("only workspace installs are supported (no team id in the installation)");
      const row = { team_id: teamId, installation: JSON.stringify(installation), installed_at: new Date().toISOString() };
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
      return JSON.parse(row.installation);
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await db
        .deleteFrom("slack_installations")
        .where("team_id", "=", query.teamId ?? "")
        .execute();
    },
  };
}

/** True the first time an event id is recorded; platforms retry deliveries and each must be handled once. */
export async function firstDelivery(db: Db, eventId: string, now: Date): Promise<boolean> {
  const result = await db
    .insertInto("processed_events")
    .values({ event_id: eventId, received_at: now.toISOString() })
    .onConflict((oc) => oc.column("event_id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
