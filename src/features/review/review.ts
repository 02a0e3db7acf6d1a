import { BoundedSet } from "../../core/cache.ts";
import * as time from "../../core/local-time.ts";
import { type Button, privateReply, type Reply } from "../../core/message.ts";
import { choiceLabel, renderFeedback } from "../../core/question.ts";
import type { Scope } from "../../core/scope.ts";
import type { Db } from "../../store/database.ts";
import * as progress from "../../store/progress.repository.ts";
import type { Kernel } from "../kernel.ts";
import * as cards from "./cards.repository.ts";
import { type Grade, gradeOf, review } from "./spaced-repetition.ts";

/** Member and question pairs remembered as having a card. */
const knownCardsSize = 100_000;

/** The private spaced-repetition review of the questions a member has answered. */
export class Review {
  /** Member and question pairs known to have a card: a round's answer to a question seen before skips the first-sight insert (a hint: a card not found is created). */
  private readonly knownCards = new BoundedSet<string>(knownCardsSize);

  constructor(private readonly k: Kernel) {}

  /** The member's next card due today (the workspace's local day), or when the next one falls due. */
  async nextCard(scope: Scope): Promise<Reply> {
    const { t, settings } = scope;
    const now = this.k.clock.now();
    const endOfToday = time.endOfLocalDay(time.localDateOf(now, settings.timezone), settings.timezone);
    const { first, count } = await cards.dueCards(this.k.db, scope.memberId, endOfToday);
    if (!first) {
      const next = await cards.nextDue(this.k.db, scope.memberId);
      const text = next ? t.nothingDue(time.formatLocal(new Date(next), settings.timezone)) : t.noCards;
      return privateReply([{ type: "text", text }]);
    }
    const question = await this.k.catalog.questionView(first.question_id, settings.language);
    return privateReply([
      { type: "header", text: t.reviewTitle(count) },
      { type: "text", text: question.text.prompt },
      { type: "text", text: question.text.choices.map((_, i) => choiceLabel(question, i)).join("\n") },
      { type: "context", text: question.topicName },
      {
        type: "buttons",
        buttons: question.text.choices.map((_, i) => ({
          action: "review",
          value: `${question.id}:${i}:${now.getTime()}`,
          label: choiceLabel(question, i).slice(0, 1),
          key: String(i + 1),
        })),
      },
    ]);
  }

  /** Grades a review answer (wrong: Again; right and quick: Good; right and slow: Hard) and shows why. */
  async answer(scope: Scope, value: string): Promise<Reply> {
    const { t, settings } = scope;
    const [questionId = "", choiceText = "", shownAt = "0"] = value.split(":");
    const question = await this.k.catalog.questionView(questionId, settings.language);
    const choice = Number(choiceText);
    const now = this.k.clock.now();
    const correct = choice === question.answer;
    await this.k.scopes.ensureMember(scope);
    const due = await this.k.db.transaction().execute(async (trx) => {
      await progress.recordActivity(trx, scope.workspaceId, scope.memberId, time.localDateOf(now, settings.timezone));
      return this.save(trx, scope, questionId, gradeOf(correct, now.getTime() - Number(shownAt)), now);
    });
    this.cardStored(scope, questionId);
    const buttons: Button[] = [{ action: "review-next", value: "next", label: t.nextCard, key: "n", style: "primary" }];
    if (correct) buttons.unshift({ action: "review-easy", value: questionId, label: t.markEasy, key: "e" });
    return privateReply([
      { type: "text", text: correct ? t.reviewRight : t.wrong(choiceLabel(question, question.answer)) },
      ...renderFeedback(t, question, choice, 0).slice(1),
      { type: "context", text: t.nextReview(time.formatLocal(due, settings.timezone)) },
      { type: "buttons", buttons },
    ]);
  }

  /** Re-rates the member's last review of a question as Easy. */
  async rateEasy(scope: Scope, questionId: string): Promise<Reply> {
    const { t, settings } = scope;
    const card = await cards.getCard(this.k.db, scope.memberId, questionId);
    if (!card) return privateReply([{ type: "text", text: t.roundGone }]);
    const next = review(card.previous_state ?? undefined, "easy", new Date(card.reviewed_at));
    await cards.saveCard(this.k.db, { ...card, state: next.state, due: next.due.toISOString() });
    return privateReply([
      { type: "text", text: t.easyRecorded(time.formatLocal(next.due, settings.timezone)) },
      { type: "buttons", buttons: [{ action: "review-next", value: "next", label: t.nextCard, key: "n", style: "primary" }] },
    ]);
  }

  /**
   * Moves the member's card for a question on by one review inside `db` (a transaction); returns when it is due next.
   * It writes nothing but rows, so group commit may run it again; call cardStored once the transaction committed.
   */
  async save(db: Db, scope: Scope, questionId: string, grade: Grade, now: Date, hint?: { firstSightLikely: boolean }): Promise<Date> {
    if (hint?.firstSightLikely && !this.knownCards.has(`${scope.memberId}|${questionId}`)) {
      // A round's question is usually new to the member: one insert then, and the read-modify-write only if it is not.
      const first = review(undefined, grade, now);
      const row = { member_id: scope.memberId, question_id: questionId, workspace_id: scope.workspaceId, previous_state: null };
      const inserted = await cards.insertCard(db, {
        ...row,
        state: first.state,
        due: first.due.toISOString(),
        reviewed_at: now.toISOString(),
      });
      if (inserted) return first.due;
    }
    const card = await cards.getCard(db, scope.memberId, questionId);
    const next = review(card?.state, grade, now);
    const row = {
      member_id: scope.memberId,
      question_id: questionId,
      workspace_id: scope.workspaceId,
      state: next.state,
      previous_state: card?.state ?? null,
      due: next.due.toISOString(),
      reviewed_at: now.toISOString(),
    };
    if (!card || !(await cards.updateCard(db, row))) await cards.saveCard(db, row);
    return next.due;
  }

  /** The member was forgotten: none of their cards is known any more. */
  forgetMember(memberId: string): void {
    this.knownCards.deleteWhere((key) => key.startsWith(`${memberId}|`));
  }

  /** Records that a committed transaction left the member a card for the question. */
  cardStored(scope: Scope, questionId: string): void {
    this.knownCards.add(`${scope.memberId}|${questionId}`);
  }
}
