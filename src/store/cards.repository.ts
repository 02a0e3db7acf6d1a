import type { Selectable } from "kysely";
import type { Db } from "./database.ts";
import type { CardsTable } from "./schema.ts";

export type CardRow = Selectable<CardsTable>;

export async function getCard(db: Db, memberId: string, questionId: string): Promise<CardRow | undefined> {
  return db.selectFrom("cards").selectAll().where("member_id", "=", memberId).where("question_id", "=", questionId).executeTakeFirst();
}

export async function saveCard(db: Db, card: CardRow): Promise<void> {
  const { member_id, question_id, ...rest } = card;
  await db
    .insertInto("cards")
    .values(card)
    .onConflict((oc) => oc.columns(["member_id", "question_id"]).doUpdateSet(rest))
    .execute();
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
