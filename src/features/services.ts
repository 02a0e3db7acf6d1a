import type { CommandDeclaration } from "../core/commands.ts";
import type { Admin } from "./admin/admin.ts";
import type { DashboardData } from "./dashboard/dashboard.ts";
import type { Digests } from "./digests/digests.ts";
import type { Exports } from "./exports/exports.ts";
import type { ForgetMe } from "./forget/forget.ts";
import type { Home } from "./home/home.ts";
import type { Kernel } from "./kernel.ts";
import type { Packs } from "./packs/packs.ts";
import type { Privacy } from "./privacy/privacy.ts";
import type { Recaps } from "./recaps/recaps.ts";
import type { Reports } from "./reports/reports.ts";
import type { Retention } from "./retention/retention.ts";
import type { Review } from "./review/review.ts";
import type { Rounds } from "./rounds/rounds.ts";
import type { Squads } from "./squads/squads.ts";
import type { Standings } from "./standings/standings.ts";
import type { Submissions } from "./submissions/submissions.ts";
import type { Topics } from "./topics/topics.ts";

/** The kernel and every feature: what a command or click declaration runs against. */
export interface Services extends Kernel {
  admin: Admin;
  dashboardData: DashboardData;
  digests: Digests;
  exports: Exports;
  forget: ForgetMe;
  home: Home;
  packs: Packs;
  privacy: Privacy;
  recaps: Recaps;
  reports: Reports;
  retention: Retention;
  review: Review;
  rounds: Rounds;
  squads: Squads;
  standings: Standings;
  submissions: Submissions;
  topics: Topics;
  /** Every declared command, in /study help's order. */
  commands: ReadonlyArray<CommandDeclaration<Services>>;
}

/** A command of a feature, typed by its arguments; the list in features/declarations.ts holds them untyped. */
export function command<Args>(declaration: CommandDeclaration<Services, Args>): CommandDeclaration<Services> {
  return declaration as CommandDeclaration<Services>;
}
