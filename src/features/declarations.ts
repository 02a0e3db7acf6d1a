import type { ActionDeclaration, CommandDeclaration } from "../core/commands.ts";
import { adminCommands } from "./admin/commands.ts";
import { dashboardCommands } from "./dashboard/commands.ts";
import { digestActions, digestCommands } from "./digests/commands.ts";
import { exportCommands } from "./exports/commands.ts";
import { forgetActions, forgetCommands } from "./forget/commands.ts";
import { helpCommands } from "./help/commands.ts";
import { homeActions, homeCommands } from "./home/commands.ts";
import { packActions, packCommands } from "./packs/commands.ts";
import { privacyCommands } from "./privacy/commands.ts";
import { reportActions, reportCommands } from "./reports/commands.ts";
import { reviewActions, reviewCommands } from "./review/commands.ts";
import { roundActions, roundCommands } from "./rounds/commands.ts";
import type { Services } from "./services.ts";
import { squadCommands } from "./squads/commands.ts";
import { standingCommands } from "./standings/commands.ts";
import { submissionActions, submissionCommands } from "./submissions/commands.ts";
import { topicCommands } from "./topics/commands.ts";

/** Every command, one feature at a time, in /study help's order. Platforms derive their definitions from this list. */
export const commandDeclarations: ReadonlyArray<CommandDeclaration<Services>> = [
  ...helpCommands,
  ...digestCommands,
  ...roundCommands,
  ...reviewCommands,
  ...standingCommands,
  ...privacyCommands,
  ...homeCommands,
  ...forgetCommands,
  ...exportCommands,
  ...dashboardCommands,
  ...topicCommands,
  ...packCommands,
  ...submissionCommands,
  ...adminCommands,
  ...squadCommands,
  ...reportCommands,
];

/** Every button and form action; adapters route each declared id to the core. */
export const actionDeclarations: ReadonlyArray<ActionDeclaration<Services>> = [
  ...roundActions,
  ...digestActions,
  ...reviewActions,
  ...homeActions,
  ...reportActions,
  ...packActions,
  ...submissionActions,
  ...forgetActions,
];

export const actionIds: readonly string[] = actionDeclarations.map((a) => a.action);
