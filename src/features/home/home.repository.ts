import type { Db } from "../../store/database.ts";

/** The channel (channels.id) where the member last typed a command or answered a quiz, if any. */
export async function lastChannel(db: Db, memberId: string): Promise<string | undefined> {
  const row = await db.selectFrom("members").select("last_channel_id").where("id", "=", memberId).executeTakeFirst();
  return row?.last_channel_id ?? undefined;
}

/** Remembers (or, with null, forgets) the member's last channel; false when the member is not stored yet. */
export async function setLastChannel(db: Db, memberId: string, channelId: string | null): Promise<boolean> {
  const result = await db.updateTable("members").set({ last_channel_id: channelId }).where("id", "=", memberId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
