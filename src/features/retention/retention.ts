import * as time from "../../core/local-time.ts";
import type { Kernel } from "../kernel.ts";
import * as retention from "./retention.repository.ts";

/** Rows deleted per table, workspace and pass: a backlog goes a batch a minute and never holds the write lock for long. */
export const retentionBatch = 500;

/**
 * Retention (/study config retention <days>): the minute job deletes answers, article reads and 50/50s from before the
 * last <days> local days, a batch of each per workspace per pass. Scores and study days stay, so boards and streaks do
 * not change; review cards stay, so reviews go on; an open round's answers stay until it closes.
 */
export class Retention {
  constructor(private readonly k: Kernel) {}

  /** One pass over every workspace with a retention; returns how many rows went. */
  async deleteExpired(): Promise<number> {
    const { db, clock, scopes } = this.k;
    let deleted = 0;
    for (const { id } of await retention.workspacesWithRetention(db)) {
      const { retentionDays, timezone } = await scopes.settingsOf(id);
      if (retentionDays === null) continue;
      const cutoff = time.addDays(time.localDateOf(clock.now(), timezone), -retentionDays);
      const cutoffStart = time.endOfLocalDay(time.addDays(cutoff, -1), timezone);
      deleted += await retention.deleteOldAnswers(db, id, cutoff, retentionBatch);
      deleted += await retention.deleteOldReads(db, id, cutoff, retentionBatch);
      deleted += await retention.deleteOldLifelines(db, id, cutoffStart, retentionBatch);
    }
    return deleted;
  }
}
