import type { Migration } from "kysely";
import * as initialSchema from "./2026-11-21-01-initial-schema.ts";
import * as slackInstallsAndEvents from "./2026-11-21-02-slack-installs-and-events.ts";
import * as retriesResultsAndLeases from "./2026-11-21-03-retries-results-and-leases.ts";
import * as reviewCards from "./2026-11-21-04-review-cards.ts";
import * as questionReports from "./2026-11-21-05-question-reports.ts";
import * as weeklyRecaps from "./2026-11-21-06-weekly-recaps.ts";
import * as squads from "./2026-11-21-07-squads.ts";
import * as scoreTotals from "./2026-11-21-08-score-totals.ts";
import * as scoreRankIndex from "./2026-11-21-09-score-rank-index.ts";
import * as dropCardsDueIndex from "./2026-11-21-10-drop-cards-due-index.ts";
import * as coveringFanOutIndexes from "./2026-11-21-11-covering-fan-out-indexes.ts";
import * as resultsEditRetries from "./2026-12-07-12-results-edit-retries.ts";
import * as articleNotes from "./2026-12-07-13-article-notes.ts";
import * as questionPacks from "./2026-12-07-14-question-packs.ts";
import * as lifelines from "./2026-12-07-15-lifelines.ts";
import * as submissions from "./2026-12-07-16-submissions.ts";
import * as seasons from "./2026-12-07-17-seasons.ts";
import * as dailyThreads from "./2026-12-07-18-daily-threads.ts";
import * as memberLastChannel from "./2026-12-07-19-member-last-channel.ts";
import * as hiddenMembers from "./2026-12-07-20-hidden-members.ts";
import * as retentionAndAnonymousReports from "./2026-12-07-21-retention-and-anonymous-reports.ts";

// Listed by hand (not read from the folder) so the set is fixed at build time. Kysely applies them in name order,
// so a new migration's name must sort after every earlier one.
export const migrations: Record<string, Migration> = {
  "2026-11-21-01-initial-schema": initialSchema,
  "2026-11-21-02-slack-installs-and-events": slackInstallsAndEvents,
  "2026-11-21-03-retries-results-and-leases": retriesResultsAndLeases,
  "2026-11-21-04-review-cards": reviewCards,
  "2026-11-21-05-question-reports": questionReports,
  "2026-11-21-06-weekly-recaps": weeklyRecaps,
  "2026-11-21-07-squads": squads,
  "2026-11-21-08-score-totals": scoreTotals,
  "2026-11-21-09-score-rank-index": scoreRankIndex,
  "2026-11-21-10-drop-cards-due-index": dropCardsDueIndex,
  "2026-11-21-11-covering-fan-out-indexes": coveringFanOutIndexes,
  "2026-12-07-12-results-edit-retries": resultsEditRetries,
  "2026-12-07-13-article-notes": articleNotes,
  "2026-12-07-14-question-packs": questionPacks,
  "2026-12-07-15-lifelines": lifelines,
  "2026-12-07-16-submissions": submissions,
  "2026-12-07-17-seasons": seasons,
  "2026-12-07-18-daily-threads": dailyThreads,
  "2026-12-07-19-member-last-channel": memberLastChannel,
  "2026-12-07-20-hidden-members": hiddenMembers,
  "2026-12-07-21-retention-and-anonymous-reports": retentionAndAnonymousReports,
};
