import type { Catalog } from "../core/catalog.ts";
import type { Clock } from "../core/clock.ts";
import type { PostCooldowns } from "../core/cooldown.ts";
import type { Delivery } from "../core/delivery.ts";
import type { Logger } from "../core/ports.ts";
import type { Scopes } from "../core/scope.ts";
import type { Db } from "../store/database.ts";
import type { TransactionBatcher } from "../store/transaction-batcher.ts";
import type { DashboardLinks } from "./dashboard/links.ts";

/** What every feature is built on: the kernel's parts and the database. */
export interface Kernel {
  db: Db;
  clock: Clock;
  log: Logger;
  random: () => number;
  /** Group commit: small writes arriving together share a transaction (see transaction-batcher.ts for the rule its work follows). */
  writes: TransactionBatcher;
  delivery: Delivery;
  catalog: Catalog;
  scopes: Scopes;
  /** When each channel last got each public board (the leaderboards). */
  cooldowns: PostCooldowns;
  /** How long a digest, recap or results claim may stay unconfirmed before another pass reconciles it. */
  staleClaimMs: number;
  /** Signs dashboard links; undefined when the dashboard is off (no DASHBOARD_URL). */
  dashboard: DashboardLinks | undefined;
}
