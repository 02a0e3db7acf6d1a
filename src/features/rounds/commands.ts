import type { ActionDeclaration } from "../../core/commands.ts";
import { command, type Services } from "../services.ts";

export const quizUsage = "/study quiz [topic]";

export const roundCommands = [
  command({
    path: ["quiz"],
    usage: quizUsage,
    help: {
      en: "open a quiz round here (topic: a prefix of its id or name; random if omitted)",
      zh: "在本频道开一轮测验（主题：主题 id 或名称的前缀；不填则随机）",
    },
    access: "anyone",
    description: "Open a quiz round in this channel",
    options: [{ name: "topic", description: "A topic id or name (random if empty)", kind: "topic" }],
    parse: (words) => (words.length > 0 ? words.join(" ") : undefined),
    run: async ({ rounds }, scope, topic) => [await rounds.quiz(scope, topic, quizUsage)],
  }),
];

export const roundActions: Array<ActionDeclaration<Services>> = [
  { action: "answer", refreshesHome: true, run: ({ rounds }, scope, click) => rounds.answer(scope, click.value) },
  { action: "lifeline", run: ({ rounds }, scope, click) => rounds.lifeline(scope, click.value) },
];
