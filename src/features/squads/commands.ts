import { noWords } from "../../core/commands.ts";
import { configUsage } from "../admin/commands.ts";
import { command } from "../services.ts";
import { leaderboardUsage } from "../standings/commands.ts";

export const squadCommands = [
  command({
    path: ["leaderboard", "squads"],
    usage: leaderboardUsage,
    access: "anyone",
    description: "Squads ranked by this week's points per active member",
    options: [],
    parse: noWords,
    run: async ({ squads }, scope) => [await squads.board(scope)],
  }),
  command({
    path: ["config", "squad"],
    usage: configUsage,
    access: "admin",
    description: "Map a user group or role to a squad",
    options: [],
    parse: (words, fail, t) => {
      const [squad, group, extra] = words;
      if (!squad || !group) return fail(t.missingValue("squad <name> <group-or-role>"));
      if (extra !== undefined) return fail(t.tooManyArguments);
      // A typed name Slack did not turn into a user group (no such handle) would reach usergroups.users.list as is.
      if (group.startsWith("@")) return fail(t.unknownGroup(group));
      // Slack user group mentions look like <!subteam^S123|@backend>, Discord role mentions like <@&123>.
      const groupId = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(group)?.[1] ?? /^<@&(\d+)>$/.exec(group)?.[1] ?? group;
      return { squad: squad.toLowerCase(), groupId };
    },
    run: async ({ squads }, scope, { squad, groupId }) => [await squads.map(scope, squad, groupId)],
  }),
];
