import { declarationsOn, helpLines, noWords } from "../../core/commands.ts";
import { privateReply } from "../../core/message.ts";
import { command } from "../services.ts";

export const helpCommands = [
  command({
    path: ["help"],
    usage: "/study help",
    help: { en: "what I do and every command", zh: "我能做什么，以及全部命令" },
    access: "anyone",
    description: "What the bot does and every command",
    options: [],
    parse: noWords,
    run: async (services, { t, settings, address }) => [
      privateReply([
        { type: "header", text: t.helpTitle },
        { type: "text", text: t.helpIntro },
        { type: "code", text: helpLines(declarationsOn(services.commands, address.platform), settings.language).join("\n") },
      ]),
    ],
  }),
];
