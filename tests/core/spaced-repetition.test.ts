import { createEmptyCard, fsrs, generatorParameters, Rating } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { type Grade, review } from "../../src/features/review/spaced-repetition.ts";

describe("first review of a new card", () => {
  it("equals scheduling the empty card afresh, for every grade and at any time", () => {
    const scheduler = fsrs(
      generatorParameters({ enable_fuzz: false, enable_short_term: true, learning_steps: ["10m"], relearning_steps: ["10m"] }),
    );
    const ratings = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy } as const;
    for (const iso of ["2026-11-23T10:00:00.000Z", "2026-03-29T01:30:00.000Z", "2027-01-01T23:59:59.999Z"]) {
      const now = new Date(iso);
      for (const grade of Object.keys(ratings) as Grade[]) {
        const fresh = scheduler.next(createEmptyCard(now), now, ratings[grade]).card;
        const memo = review(undefined, grade, now);
        expect(JSON.parse(memo.state)).toEqual(JSON.parse(JSON.stringify(fresh)));
        expect(memo.due.toISOString()).toBe(fresh.due.toISOString());
      }
    }
  });
});
