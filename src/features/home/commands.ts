import type { ActionDeclaration } from "../../core/commands.ts";
import { noWords } from "../../core/commands.ts";
import { command, type Services } from "../services.ts";

export const homeCommands = [
  command({
    path: ["me"],
    usage: "/study me",
    help: {
      en: "your study home: streak, freezes and rank, reviews due, your weakest topics (Quiz me), and the dashboard link",
      zh: "你的学习主页：连续天数、冻结卡和排名、到期复习、最薄弱的主题（考考我）以及看板链接",
    },
    access: "anyone",
    description: "Your study home: streak, rank, reviews due and your weakest topics",
    options: [],
    parse: noWords,
    run: async ({ home }, scope, _args, { isAdmin }) => [await home.me(scope, isAdmin)],
  }),
];

export const homeActions: Array<ActionDeclaration<Services>> = [
  { action: "home-quiz", run: ({ home }, scope, click) => home.quiz(scope, click.value, click) },
];
