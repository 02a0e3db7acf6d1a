import type { ActionDeclaration } from "../../core/commands.ts";
import { noWords } from "../../core/commands.ts";
import type { Services } from "../services.ts";
import { command } from "../services.ts";

export const forgetCommands = [
  command({
    path: ["forget-me"],
    usage: "/study forget-me",
    help: {
      en: "delete your study data here (answers, cards, streak, scores, squads, submissions, name); asks to confirm",
      zh: "删除你在这里的学习数据（答题、卡片、连续天数、积分、小组、投稿、名字）；会先请你确认",
    },
    access: "anyone",
    description: "Delete your study data (asks you to confirm)",
    options: [],
    parse: noWords,
    run: async ({ forget }, scope) => [await forget.ask(scope)],
  }),
];

export const forgetActions: ReadonlyArray<ActionDeclaration<Services>> = [
  // Changes the member's home: a home this process keeps published shows them as new.
  { action: "forget-confirm", refreshesHome: true, run: ({ forget }, scope, click) => forget.confirm(scope, click.value) },
  { action: "forget-cancel", run: ({ forget }, scope, click) => forget.cancel(scope, click.value) },
];
