import type { Platform } from "../../src/core/ports.ts";
import type { Db } from "../../src/store/database.ts";
import { ensureChannel, ensureWorkspace, updateWorkspace, upsertSubscription } from "../../src/store/workspaces.repository.ts";

/** Subscribes `count` Slack channels of workspace T1, due every day from 00:00 UTC. */
export async function subscribeSlackChannels(db: Db, count: number, now = new Date()): Promise<void> {
  for (let i = 0; i < count; i++) await subscribeChannel(db, "slack", "T1", `C${i}`, now);
}

/** Subscribes one channel of a platform's workspace, due every day from 00:00 UTC. */
export async function subscribeChannel(db: Db, platform: Platform, workspace: string, channel: string, now = new Date()): Promise<void> {
  const workspaceId = `${platform}:${workspace}`;
  await ensureWorkspace(db, { id: workspaceId, platform, externalId: workspace, name: "acme" }, now);
  await updateWorkspace(db, workspaceId, { study_days: "every-day", timezone: "UTC" });
  const channelId = `${workspaceId}:${channel}`;
  await ensureChannel(db, { id: channelId, workspaceId, externalId: channel });
  await upsertSubscription(db, { channelId, workspaceId, postTime: "00:00" }, now);
}
