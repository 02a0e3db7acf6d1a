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
];

export const digestActions: Array<ActionDeclaration<Services>> = [
  { action: "read", run: ({ digests }, scope, click) => digests.markRead(scope, click.value) },
];
