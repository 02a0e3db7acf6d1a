import type { Selectable } from "kysely";
import type { Db } from "../../store/database.ts";
import { precompile } from "../../store/precompiled.ts";
import type { RoundsTable } from "../../store/schema.ts";

export type RoundRow = Selectable<RoundsTable>;

const insertRoundQuery = precompile(
  ["id", "workspace_id", "channel_id", "thread_id", "question_id", "kind", "status", "opened_at", "closes_at"],
  (db, p) =>
    db
      .insertInto("rounds")
      .values({
        ...p,
        closed_at: null,
        message_ref: null,
        first_correct_member_id: null,
        results_claimed_at: null,
        results_edited_at: null,
      })
      .onConflict((oc) => oc.doNothing()),
);

/** Inserts a round; false when the channel already has an open ad hoc round (the partial unique index). */
export async function insertRound(
  db: Db,
  round: Pick<RoundRow, "id" | "workspace_id" | "channel_id" | "thread_id" | "question_id" | "kind" | "status" | "opened_at" | "closes_at">,
): Promise<boolean> {
  return Number((await insertRoundQuery(db, round)).numAffectedRows ?? 0) === 1;
}

const getRoundQuery = precompile(["id"], (db, p) => db.selectFrom("rounds").selectAll().where("id", "=", p.id));

export async function getRound(db: Db, id: string): Promise<RoundRow | undefined> {
  return (await getRoundQuery(db, { id })).rows[0];
}

export async function openAdhocRound(db: Db, channelId: string): Promise<RoundRow | undefined> {
  return db
    .selectFrom("rounds")
    .selectAll()
    .where("channel_id", "=", channelId)
    .where("status", "=", "open")
    .where("kind", "=", "adhoc")
    .executeTakeFirst();
}

const setRoundMessageQuery = precompile(["id", "messageRef"], (db, p) =>
  db.updateTable("rounds").set({ message_ref: p.messageRef }).where("id", "=", p.id),
);

export async function setRoundMessage(db: Db, id: string, messageRef: string): Promise<void> {
  await setRoundMessageQuery(db, { id, messageRef });
}

/** Marks a round closed; true for exactly one caller. */
export async function markRoundClosed(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("rounds")
    .set({ status: "closed", closed_at: now.toISOString() })
    .where("id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function openRounds(db: Db): Promise<RoundRow[]> {
  return db.selectFrom("rounds").selectAll().where("status", "=", "open").orderBy("closes_at").execute();
}

/** Closed rounds whose results never made it into their message (a crash or a failed edit), due for another try. */
export async function roundsAwaitingResults(db: Db, now: Date): Promise<RoundRow[]> {
  return db
    .selectFrom("rounds")
    .selectAll()
    .where("status", "=", "closed")
    .where("results_edited_at", "is", null)
    .where("results_failure", "is", null)
    .where("message_ref", "is not", null)
    .where((eb) => eb.or([eb("results_next_attempt_at", "is", null), eb("results_next_attempt_at", "<=", now.toISOString())]))
    .execute();
}

/** Gives a failed results edit's claim back: to be retried at `retryAt`, or given up for good with the reason. */
export async function releaseResultsEdit(
  db: Db,
  id: string,
  outcome: { attempts: number; reason: string; giveUp: boolean; retryAt: Date },
): Promise<void> {
  await db
    .updateTable("rounds")
    .set({
      results_claimed_at: null,
      results_attempts: outcome.attempts,
      results_next_attempt_at: outcome.giveUp ? null : outcome.retryAt.toISOString(),
      results_failure: outcome.giveUp ? outcome.reason.slice(0, 500) : null,
    })
    .where("id", "=", id)
    .execute();
}

/** Takes the right to edit a closed round's results: one caller, or a new one once a claim is older than `staleBefore`. */
export async function claimResultsEdit(db: Db, id: string, now: Date, staleBefore: Date): Promise<boolean> {
  const result = await db
    .updateTable("rounds")
    .set({ results_claimed_at: now.toISOString() })
    .where("id", "=", id)
    .where("status", "=", "closed")
    .where("results_edited_at", "is", null)
    .where("results_failure", "is", null)
    .where((eb) => eb.or([eb("results_next_attempt_at", "is", null), eb("results_next_attempt_at", "<=", now.toISOString())]))
    .where((eb) => eb.or([eb("results_claimed_at", "is", null), eb("results_claimed_at", "<", staleBefore.toISOString())]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function confirmResultsEdit(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable("rounds").set({ results_edited_at: now.toISOString() }).where("id", "=", id).execute();
}

const questionsAskedSinceQuery = precompile(["channelId", "since"], (db, p) =>
  db.selectFrom("rounds").select("question_id").where("channel_id", "=", p.channelId).where("opened_at", ">=", p.since),
);

export async function questionsAskedSince(db: Db, channelId: string, since: Date): Promise<Set<string>> {
  const rows = (await questionsAskedSinceQuery(db, { channelId, since: since.toISOString() })).rows;
  return new Set(rows.map((r) => r.question_id));
}

/** Records the first correct answer of a round; true for exactly one member. */
const claimFirstCorrectQuery = precompile(["roundId", "memberId"], (db, p) =>
  db
    .updateTable("rounds")
    .set({ first_correct_member_id: p.memberId })
    .where("id", "=", p.roundId)
    .where("first_correct_member_id", "is", null),
);

export async function claimFirstCorrect(db: Db, roundId: string, memberId: string): Promise<boolean> {
  return Number((await claimFirstCorrectQuery(db, { roundId, memberId })).numAffectedRows) === 1;
}

/** The wrong choice a member's 50/50 kept in a round, or undefined when they did not use it. */
export async function lifelineOf(db: Db, roundId: string, memberId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom("lifelines")
    .select("kept_choice")
    .where("round_id", "=", roundId)
    .where("member_id", "=", memberId)
    .executeTakeFirst();
  return row?.kept_choice;
}

/** Records a member's 50/50 in a round, once: a second use (another replica, a double click) keeps the first. */
export async function insertLifeline(
  db: Db,
  row: { round_id: string; member_id: string; workspace_id: string; kept_choice: number; used_at: string },
): Promise<void> {
  await db
    .insertInto("lifelines")
    .values(row)
    .onConflict((oc) => oc.columns(["round_id", "member_id"]).doNothing())
    .execute();
}

export async function countLifelines(db: Db, roundId: string): Promise<number> {
  const row = await db
    .selectFrom("lifelines")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("round_id", "=", roundId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
