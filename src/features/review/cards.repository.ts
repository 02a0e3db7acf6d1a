import type { Selectable } from "kysely";
import type { Db } from "../../store/database.ts";
import { precompile } from "../../store/precompiled.ts";
import type { CardsTable } from "../../store/schema.ts";

export type CardRow = Selectable<CardsTable>;

const getCardQuery = precompile(["memberId", "questionId"], (db, p) =>
  db.selectFrom("cards").selectAll().where("member_id", "=", p.memberId).where("question_id", "=", p.questionId),
);

export async function getCard(db: Db, memberId: string, questionId: string): Promise<CardRow | undefined> {
  return (await getCardQuery(db, { memberId, questionId })).rows[0];
}

const cardColumns = ["member_id", "question_id", "workspace_id", "state", "previous_state", "due", "reviewed_at"] as const;
const saveCardQuery = precompile(cardColumns, (db, p) => {
  const { member_id, question_id, ...rest } = p;
  return db
    .insertInto("cards")
    .values(p)
    .onConflict((oc) => oc.columns(["member_id", "question_id"]).doUpdateSet(rest));
});

export async function saveCard(db: Db, card: CardRow): Promise<void> {
  await saveCardQuery(db, card);
}

const updateCardQuery = precompile(cardColumns, (db, p) => {
  const { member_id, question_id, workspace_id, ...changed } = p;
  return db.updateTable("cards").set(changed).where("member_id", "=", member_id).where("question_id", "=", question_id);
});

/** Saves a review of a card read in the same transaction (cheaper than saveCard's insert attempt); false when it is gone. */
export async function updateCard(db: Db, card: CardRow): Promise<boolean> {
  return Number((await updateCardQuery(db, card)).numAffectedRows ?? 0) === 1;
}

const insertCardQuery = precompile(cardColumns, (db, p) =>
  db
    .insertInto("cards")
    .values(p)
    .onConflict((oc) => oc.columns(["member_id", "question_id"]).doNothing()),
);

/** Stores a member's first card for a question; false when they already have one. */
export async function insertCard(db: Db, card: CardRow): Promise<boolean> {
  return Number((await insertCardQuery(db, card)).numAffectedRows ?? 0) === 1;
}

/** A member's cards due before an instant (retired questions left out), soonest first, and how many there are. */
export async function dueCards(db: Db, memberId: string, before: Date): Promise<{ first: CardRow | undefined; count: number }> {
  const due = db
    .selectFrom("cards")
    .innerJoin("questions", "questions.id", "cards.question_id")
    .where("cards.member_id", "=", memberId)
    .where("cards.due", "<", before.toISOString())
    .where("questions.retired", "=", 0);
  const first = await due.selectAll("cards").orderBy("cards.due").orderBy("cards.question_id").limit(1).executeTakeFirst();
  const { n } = await due.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return { first, count: Number(n) };
}

/** When the member's next card falls due, if they have any. */
export async function nextDue(db: Db, memberId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("cards")
    .select((eb) => eb.fn.min("due").as("due"))
    .where("member_id", "=", memberId)
    .executeTakeFirst();
  return row?.due ?? undefined;
}
