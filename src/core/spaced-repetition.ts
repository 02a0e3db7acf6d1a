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
  const card: Card = stored ? revive(JSON.parse(stored)) : createEmptyCard(now);
  const next = scheduler.next(card, now, ratings[grade]).card;
  return { state: JSON.stringify(next), due: next.due };
}

function revive(card: Card): Card {
  return { ...card, due: new Date(card.due), last_review: card.last_review ? new Date(card.last_review) : undefined };
}
