import type { Migration } from "kysely";
import * as initialSchema from "./2026-11-21-initial-schema.ts";
import * as slackInstallsAndEvents from "./2026-11-21-slack-installs-and-events.ts";
import * as retriesResultsAndLeases from "./2026-11-22-retries-results-and-leases.ts";
import * as reviewCards from "./2026-11-22-review-cards.ts";

// Listed by hand (not read from the folder) so the set is fixed at build time; names sort by date.
export const migrations: Record<string, Migration> = {
  "2026-11-21-initial-schema": initialSchema,
  "2026-11-21-slack-installs-and-events": slackInstallsAndEvents,
  "2026-11-22-retries-results-and-leases": retriesResultsAndLeases,
  "2026-11-22-review-cards": reviewCards,
};
