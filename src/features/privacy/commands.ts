import { UsageError } from "../../core/commands.ts";
import { command } from "../services.ts";
import { privacyStrings } from "./strings.ts";

const privacyUsage = "/study privacy [hide|show]";

export const privacyCommands = [
  command({
    path: ["privacy"],
    usage: privacyUsage,
    help: {
      en: 'your privacy: hide shows you as "a member" on leaderboards, results and recaps; show brings your name back (admins also see who is hidden)',
      zh: "你的隐私设置：hide 让排行榜、答题结果和周报把你显示为“一位成员”；show 恢复你的名字（管理员还能看到谁隐藏了）",
    },
    access: "anyone",
    description: "Hide your name from public boards and results, or show it again",
    options: [
      {
        name: "choice",
        description: "hide or show (nothing: see your setting)",
        kind: "choice",
        choices: [
          { name: "hide my name", value: "hide" },
          { name: "show my name", value: "show" },
        ],
      },
    ],
    parse: (words, fail, t): string | undefined => {
      if (words.length > 1) fail(t.tooManyArguments);
      return words[0];
    },
    run: async ({ privacy }, scope, choice, { isAdmin }) => {
      if (choice === undefined) return [await privacy.status(scope, isAdmin)];
      const word = choice.toLowerCase();
      if (word !== "hide" && word !== "show") throw new UsageError(privacyStrings(scope.settings.language).badChoice(choice), privacyUsage);
      return [await privacy.choose(scope, word === "hide")];
    },
  }),
];
