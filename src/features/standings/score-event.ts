import * as time from "../../core/local-time.ts";
import type { ScoreEvent } from "../../store/progress.repository.ts";

/** What an answer, a read or an approved submission adds to the member's week, month and all-time totals. */
export function scoreEvent(
  scope: { workspaceId: string; memberId: string },
  now: Date,
  localDate: string,
  earned: number,
  answered: 0 | 1,
  correct: 0 | 1,
): ScoreEvent {
  return {
    workspaceId: scope.workspaceId,
    memberId: scope.memberId,
    points: earned,
    answered,
    correct,
    at: now.toISOString(),
    week: time.startOfWeek(localDate),
    month: time.startOfMonth(localDate),
  };
}
