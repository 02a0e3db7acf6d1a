import type { ActionDeclaration } from "../../core/commands.ts";
import { noWords } from "../../core/commands.ts";
import { command, type Services } from "../services.ts";

export const submissionCommands = [
  command({
    path: ["submit"],
    usage: "/study submit",
    help: {
      en: "write a question for the team's own pack; admins review it in the review channel",
      zh: "为团队题库投一道题；管理员在审核频道审核",
    },
    access: "anyone",
    description: "Submit a question for the team's own pack",
    options: [],
    parse: noWords,
    run: async ({ submissions }, scope) => [await submissions.open(scope)],
  }),
];

export const submissionActions: ReadonlyArray<ActionDeclaration<Services>> = [
  { action: "submission-send", run: ({ submissions }, scope, click) => submissions.send(scope, click.value, click.inputs) },
  { action: "submission-fix", run: ({ submissions }, scope, click) => submissions.fix(scope, click.value) },
  { action: "submission-approve", access: "admin", run: ({ submissions }, scope, click) => submissions.approve(scope, click.value) },
  { action: "submission-edit", access: "admin", run: ({ submissions }, scope, click) => submissions.edit(scope, click.value) },
  {
    action: "submission-save",
    access: "admin",
    run: ({ submissions }, scope, click) => submissions.save(scope, click.value, click.inputs),
  },
  {
    action: "submission-reject-form",
    access: "admin",
    run: ({ submissions }, scope, click) => submissions.rejectForm(scope, click.value),
  },
  {
    action: "submission-reject",
    access: "admin",
    run: ({ submissions }, scope, click) => submissions.reject(scope, click.value, click.inputs),
  },
];
