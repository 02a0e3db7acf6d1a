import { type Card, createEmptyCard, fsrs, generatorParameters, Rating } from "ts-fsrs";

export type Grade = "again" | "hard" | "good" | "easy";

// One 10-minute learning step: a miss comes back the same day, a right answer leaves the day (Good: 2 days on a new card).
const scheduler = fsrs(
  generatorParameters({ enable_fuzz: false, enable_short_term: true, learning_steps: ["10m"], relearning_steps: ["10m"] }),
);
const ratings = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy } as const;
/** A right answer slower than this is rated Hard rather than Good. */
export const quickAnswerMs = 20_000;

/** The grade an answer earns: wrong is Again; right is Good when quick, Hard when slow. */
export function gradeOf(correct: boolean, elapsedMs: number): Grade {
  if (!correct) return "again";
  return elapsedMs <= quickAnswerMs ? "good" : "hard";
}

/** The card after a review, as stored JSON, with its next due time. */
export function review(stored: string | undefined, grade: Grade, now: Date): { state: string; due: Date } {
  if (!stored) return firstReview(grade, now);
  const next = scheduler.next(revive(JSON.parse(stored)), now, ratings[grade]).card;
  return { state: JSON.stringify(next), due: next.due };
}

// A new card's first review depends on the time only by offset (no fuzz), and most answers are a member's first sight
// of a question, so it is scheduled once per grade and shifted to `now`; its JSON is a template around the two dates.
const firstReviews = new Map<Grade, { card: Card; at: number; json: [string, string, string] }>();

function firstReview(grade: Grade, now: Date): { state: string; due: Date } {
  let first = firstReviews.get(grade);
  if (!first) {
    const at = new Date(0);
    const card = scheduler.next(createEmptyCard(at), at, ratings[grade]).card;
    const [before = "", between = "", after = ""] = JSON.stringify({ ...card, due: "\u0000", last_review: "\u0000" }).split('"\\u0000"');
    first = { card, at: at.getTime(), json: [before, between, after] };
    firstReviews.set(grade, first);
  }
  const offset = now.getTime() - first.at;
  const due = new Date(first.card.due.getTime() + offset);
  const lastReview = new Date((first.card.last_review as Date).getTime() + offset);
  const [before, between, after] = first.json;
  return { state: `${before}"${due.toISOString()}"${between}"${lastReview.toISOString()}"${after}`, due };
}

function revive(card: Card): Card {
  return { ...card, due: new Date(card.due), last_review: card.last_review ? new Date(card.last_review) : undefined };
}
