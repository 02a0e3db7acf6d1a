import type { ActionDeclaration } from "../../core/commands.ts";
import { noWords } from "../../core/commands.ts";
import { command, type Services } from "../services.ts";

export const digestCommands = [
  command({
    path: ["digest"],
    usage: "/study digest",
    help: { en: "today's article for this channel", zh: "本频道今天的文章" },
    access: "anyone",
    description: "Today's article for this channel",
    options: [],
    parse: noWords,
    run: async ({ digests }, scope) => [await digests.show(scope)],
  }),
  command({
    path: ["next"],
    usage: "/study next",
    help: { en: "when the next daily article comes to this channel", zh: "下一篇每日文章什么时候发到本频道" },
    access: "anyone",
    description: "When the next daily article comes to this channel",
    options: [],
    parse: noWords,
    run: async ({ digests }, scope) => [await digests.next(scope)],
  }),
];

export const digestActions: Array<ActionDeclaration<Services>> = [
  { action: "read", run: ({ digests }, scope, click) => digests.markRead(scope, click.value) },
];
