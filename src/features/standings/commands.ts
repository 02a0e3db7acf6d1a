import { command } from "../services.ts";
import type { LeaderboardWindow } from "./standings.ts";

const streakUsage = "/study streak [member]";
export const leaderboardUsage = "/study leaderboard [week|month|season|all|squads]";

export const standingCommands = [
  command({
    path: ["streak"],
    usage: streakUsage,
    help: {
      en: "your streak (or a member's), freezes held, and the team streak",
      zh: "你（或某位成员）的连续学习天数、持有的冻结卡和团队连续天数",
    },
    access: "anyone",
    description: "Your streak (or a member's), freezes held, and the team streak",
    options: [{ name: "member", description: "Whose streak", kind: "member" }],
    parse: (words) => (words.length > 0 ? words.join(" ") : undefined),
    run: async ({ standings }, scope, member) => [await standings.streak(scope, member, streakUsage)],
  }),
  command({
    path: ["leaderboard"],
    usage: leaderboardUsage,
    help: {
      en: "the team leaderboard: this week (default), this month, this season (the calendar month, with last season's 🏆 champion) or all time",
      zh: "团队排行榜：本周（默认）、本月、本赛季（即自然月，上赛季冠军带 🏆）或全部",
    },
    access: "anyone",
    description: "The team leaderboard",
    options: [
      {
        name: "window",
        description: "Which period (default: this week)",
        kind: "choice",
        choices: [
          { name: "this week", value: "week" },
          { name: "this month", value: "month" },
          { name: "this season", value: "season" },
          { name: "all time", value: "all" },
          { name: "squads", value: "squads" },
        ],
      },
    ],
    parse: (words, fail, t): LeaderboardWindow => {
      if (words.length > 1) fail(t.tooManyArguments);
      const window = (words[0] ?? "week").toLowerCase();
      if (window !== "week" && window !== "month" && window !== "season" && window !== "all") return fail(t.badWindow(words[0] ?? ""));
      return window;
    },
    run: async ({ standings }, scope, window) => [await standings.leaderboard(scope, window)],
  }),
];
