import type { Selectable } from "kysely";
import type { Db } from "../../store/database.ts";
import type { RecapsTable } from "../../store/schema.ts";

export type RecapRow = Selectable<RecapsTable>;

export async function getRecap(db: Db, channelId: string, weekStart: string): Promise<RecapRow | undefined> {
  return db.selectFrom("recaps").selectAll().where("channel_id", "=", channelId).where("week_start", "=", weekStart).executeTakeFirst();
}

/** Claims the week's recap for a channel; true for exactly one caller. */
export async function claimRecap(db: Db, recap: { id: string; channelId: string; weekStart: string }, now: Date): Promise<boolean> {
  const result = await db
    .insertInto("recaps")
    .values({
      id: recap.id,
      channel_id: recap.channelId,
      week_start: recap.weekStart,
      status: "claimed",
      claimed_at: now.toISOString(),
      message_ref: null,
    })
    .onConflict((oc) => oc.columns(["channel_id", "week_start"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function confirmRecap(db: Db, id: string, messageRef: string): Promise<void> {
  await db.updateTable("recaps").set({ status: "posted", message_ref: messageRef }).where("id", "=", id).execute();
}

/** Gives a claim back after a failed post, so the next pass tries again. */
export async function releaseRecap(db: Db, id: string): Promise<void> {
  await db.deleteFrom("recaps").where("id", "=", id).where("status", "=", "claimed").execute();
}
