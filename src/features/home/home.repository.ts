import type { Db } from "../../store/database.ts";

/** Where Quiz me posts (channels.id): the channel the member picked for it, else the one of their latest answer. */
export async function lastChannel(db: Db, memberId: string): Promise<string | undefined> {
  const row = await db.selectFrom("members").select("last_channel_id").where("id", "=", memberId).executeTakeFirst();
  if (row?.last_channel_id) return row.last_channel_id;
  const answered = await db
    .selectFrom("answers")
    .innerJoin("rounds", "rounds.id", "answers.round_id")
    .select("rounds.channel_id")
    .where("answers.member_id", "=", memberId)
    .orderBy("answers.answered_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return answered?.channel_id;
}

/** Remembers the channel the member picked for Quiz me (or, with null, forgets it); false when the member is not stored. */
export async function setLastChannel(db: Db, memberId: string, channelId: string | null): Promise<boolean> {
  const result = await db.updateTable("members").set({ last_channel_id: channelId }).where("id", "=", memberId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
