import type { Db } from "../../src/store/database.ts";
import { ensureChannel, ensureWorkspace, updateWorkspace, upsertSubscription } from "../../src/store/workspaces.repository.ts";

/** Subscribes `count` Slack channels of workspace T1, due every day from 00:00 UTC. */
export async function subscribeSlackChannels(db: Db, count: number, now = new Date()): Promise<void> {
  await ensureWorkspace(db, { id: "slack:T1", platform: "slack", externalId: "T1", name: "acme" }, now);
  await updateWorkspace(db, "slack:T1", { study_days: "every-day", timezone: "UTC" });
  for (let i = 0; i < count; i++) {
    const channelId = `slack:T1:C${i}`;
    await ensureChannel(db, { id: channelId, workspaceId: "slack:T1", externalId: `C${i}` });
    await upsertSubscription(db, { channelId, workspaceId: "slack:T1", postTime: "00:00" }, now);
  }
}
