import type { ActionDeclaration } from "../../core/commands.ts";
import { noWords } from "../../core/commands.ts";
import { command, type Services } from "../services.ts";

export const reviewCommands = [
  command({
    path: ["review"],
    usage: "/study review",
    help: { en: "your private spaced-repetition review of the questions you have met", zh: "只有你能看到的间隔复习：复习你做过的题" },
    access: "anyone",
    description: "Your private spaced-repetition review of the questions you have met",
    options: [],
    parse: noWords,
    run: async ({ review }, scope) => [await review.nextCard(scope)],
  }),
];

export const reviewActions: Array<ActionDeclaration<Services>> = [
  { action: "review", refreshesHome: true, run: ({ review }, scope, click) => review.answer(scope, click.value) },
  { action: "review-easy", refreshesHome: true, run: ({ review }, scope, click) => review.rateEasy(scope, click.value) },
  { action: "review-next", run: ({ review }, scope) => review.nextCard(scope) },
];
