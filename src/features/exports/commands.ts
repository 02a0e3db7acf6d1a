import { UsageError } from "../../core/commands.ts";
import { command } from "../services.ts";
import { exportStrings } from "./strings.ts";

const exportUsage = "/study export [team]";

export const exportCommands = [
  command({
    path: ["export"],
    usage: exportUsage,
    help: {
      en: "your history as CSV and the questions you missed as Anki cards, sent to you alone; admin: team, the team's weeks and topics as CSV",
      zh: "把你的学习记录（CSV）和答错的题（Anki 卡片）只发给你；管理员：team 导出团队每周和各主题的数据（CSV）",
    },
    // Reading (your own export) is anyone's; the team's is an admin's: on Discord it is /study-admin export team.
    access: "admin-to-change",
    description: "Your study history (CSV) and the questions you missed (Anki), sent to you alone",
    changeDescription: "The team's weekly and per-topic CSVs, sent to you alone",
    options: [
      {
        name: "what",
        description: "What to export",
        kind: "choice",
        required: true,
        choices: [{ name: "the team's data", value: "team" }],
      },
    ],
    parse: (words, fail, t): string | undefined => {
      if (words.length > 1) fail(t.tooManyArguments);
      return words[0];
    },
    run: async ({ exports }, scope, what) => {
      if (what === undefined) return [await exports.member(scope)];
      if (what.toLowerCase() !== "team") throw new UsageError(exportStrings(scope.settings.language).badWhat(what), exportUsage);
      return [await exports.team(scope)];
    },
  }),
];
