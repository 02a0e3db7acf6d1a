import type { ActionDeclaration } from "../../core/commands.ts";
import { noWords } from "../../core/commands.ts";
import { configUsage } from "../admin/commands.ts";
import { command, type Services } from "../services.ts";

export const reportCommands = [
  command({
    path: ["config", "reports"],
    usage: configUsage,
    access: "admin",
    description: "List the questions members reported",
    options: [],
    parse: noWords,
    run: async ({ reports }, scope) => [await reports.list(scope)],
  }),
  command({
    path: ["config", "resolve"],
    usage: configUsage,
    access: "admin",
    description: "Close the reports on a question once it is fixed",
    options: [],
    parse: (words, fail, t) => (words.length > 0 ? words.join(" ") : fail(t.missingValue("resolve"))),
    run: async ({ reports }, scope, questionId) => [await reports.resolve(scope, questionId)],
  }),
];

export const reportActions: Array<ActionDeclaration<Services>> = [
  { action: "report", run: ({ reports }, scope, click) => reports.form(scope, click.value) },
  { action: "report-submit", run: ({ reports }, scope, click) => reports.save(scope, click.value, click.inputs.note) },
];
