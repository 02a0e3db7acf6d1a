import { addDays, dayNumber, type LocalDate, weekdayOf, weekdayOfDayNumber } from "../../core/local-time.ts";
import type { StudyDays } from "../../core/study-days.ts";

export const activeDaysPerFreeze = 5;
export const maxFreezes = 2;

export interface PersonalStreak {
  current: number;
  longest: number;
  freezes: number;
}

/**
 * Walks the study days from the first activity to today. An active day extends the streak and every
 * 5 consecutive active days earn a freeze (at most 2 held); a missed day spends a freeze (the streak
 * holds but does not grow) or, with none left, resets it. Today is still open, so missing it breaks nothing.
 */
export function personalStreak(active: ReadonlySet<LocalDate>, studyDays: StudyDays, today: LocalDate): PersonalStreak {
  // Walks day numbers, not date strings: a date string per day cost a 25-row leaderboard about 2 ms (npm run bench).
  const activeDays = new Set([...active].map(dayNumber));
  const last = dayNumber(today);
  const first = Math.min(...activeDays); // Infinity with no activity
  const result = { current: 0, longest: 0, freezes: 0 };
  if (first > last) return result;
  let run = 0;
  for (let day = first; day <= last; day++) {
    if (!studyDays.has(weekdayOfDayNumber(day))) continue;
    if (activeDays.has(day)) {
      result.current++;
      run++;
      if (run % activeDaysPerFreeze === 0) result.freezes = Math.min(maxFreezes, result.freezes + 1);
      result.longest = Math.max(result.longest, result.current);
    } else if (day !== last) {
      run = 0;
      if (result.freezes > 0) result.freezes--;
      else result.current = 0;
    }
  }
  return result;
}

/** Consecutive study days, counting back from today, on which at least `quorum` members were active. */
export function teamStreak(activeMembers: ReadonlyMap<LocalDate, number>, quorum: number, studyDays: StudyDays, today: LocalDate): number {
  let streak = 0;
  // Bounded by the oldest date with any activity, so the walk always ends.
  const oldest = [...activeMembers.keys()].sort()[0] ?? today;
  for (let day = today; day >= oldest; day = addDays(day, -1)) {
    if (!studyDays.has(weekdayOf(day))) continue;
    if ((activeMembers.get(day) ?? 0) >= quorum) streak++;
    else if (day !== today) break;
  }
  return streak;
}

/** The quorum a team streak needs: the configured one, else 2, or 1 in a one-member team. */
export function effectiveQuorum(configured: number | null, memberCount: number): number {
  return configured ?? (memberCount <= 1 ? 1 : 2);
}
