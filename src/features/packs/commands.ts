import { readFile } from "node:fs/promises";
import type { ActionDeclaration } from "../../core/commands.ts";
import { command, type Services } from "../services.ts";
import { type PackAction, packChanges } from "./packs.ts";

const packUsage = "/study pack [enable|disable|remove <pack-id>]";
const importUsage = "/study pack import <file> [--dry-run]";
const exportUsage = "/study pack export <pack-id>";

export const packCommands = [
  command({
    path: ["pack"],
    usage: packUsage,
    help: {
      en: "the workspace's own question packs; admin: enable, disable or remove one",
      zh: "本工作区自己的题包；管理员：启用、停用或移除题包",
    },
    access: "admin-to-change",
    description: "This workspace's own question packs",
    changeDescription: "Enable, disable or remove a question pack",
    // On Discord import and export are choices here too: their words lead to the pack import and pack export commands.
    options: [
      {
        name: "action",
        description: "What to do with the pack",
        kind: "choice",
        required: true,
        choices: [...packChanges, "import", "export"].map((action) => ({ name: action, value: action })),
      },
      { name: "pack", description: "The pack's id, to enable, disable, remove or export (see /study pack)", kind: "text" },
      { name: "file", description: "The pack file (YAML or JSON), to import", kind: "file" },
      {
        name: "preview",
        description: "Import: only check and preview it",
        kind: "choice",
        choices: [{ name: "preview only", value: "--dry-run" }],
      },
    ],
    parse: (words, fail, t) => {
      if (words.length === 0) return undefined;
      const [action = "", packId, ...rest] = words;
      const known = packChanges.find((a) => a === action.toLowerCase());
      // Reached only where pack import or export is not offered (export on Slack).
      if (action === "import" || action === "export") return fail(t.packExportNotHere);
      if (!known) return fail(t.badPackAction(action));
      if (!packId) return fail(t.missingPackId);
      if (rest.length > 0) return fail(t.tooManyArguments);
      return { action: known as PackAction, packId };
    },
    run: async ({ packs }, scope, change) => [change ? await packs.change(scope, change.action, change.packId) : await packs.list(scope)],
  }),
  command({
    path: ["pack", "import"],
    usage: importUsage,
    help: {
      en: "admin: check a pack file (a Discord attachment, a path on the console) and import it; --dry-run only previews",
      zh: "管理员：检查题包文件（Discord 上为附件，控制台为路径）并导入；--dry-run 只预览",
    },
    access: "admin",
    // The file: a Discord attachment, a path on the console's machine, or on Slack a form with a file input.
    description: "Import a question pack",
    options: [{ name: "file", description: "The pack file", kind: "file", required: true }],
    parse: (words, fail, t) => {
      const previewOnly = words.includes("--dry-run");
      const names = words.filter((word) => word !== "--dry-run");
      if (names.length > 1) return fail(t.tooManyArguments);
      return { name: names[0], previewOnly };
    },
    run: async ({ packs }, scope, { name, previewOnly }, { file }) => {
      if (file) return [await packs.importFile(scope, file.bytes, previewOnly)];
      // A Slack command carries no file: a form with a file input asks for it.
      if (scope.address.platform === "slack") return [packs.uploadForm(scope, previewOnly)];
      // Only the console's user is at the machine the bot runs on: elsewhere a word never names a local file.
      if (scope.address.platform !== "console" || name === undefined) return [packs.attachFile(scope)];
      let bytes: Uint8Array;
      try {
        bytes = await readFile(name);
      } catch (error) {
        return [packs.unreadable(scope, name, error as NodeJS.ErrnoException)];
      }
      return [await packs.importFile(scope, bytes, previewOnly)];
    },
  }),
  command({
    path: ["pack", "export"],
    usage: exportUsage,
    help: {
      en: "admin: the pack's file as last imported (an attachment; a file under ./data on the console)",
      zh: "管理员：题包文件（最近一次导入的；Discord 上为附件，控制台写到 ./data 下）",
    },
    access: "admin",
    // Slack's private replies cannot carry files.
    platforms: ["console", "discord"],
    description: "Export a question pack",
    options: [{ name: "pack", description: "The pack's id", kind: "text", required: true }],
    parse: (words, fail, t) => {
      if (words.length === 0) return fail(t.missingPackId);
      if (words.length > 1) return fail(t.tooManyArguments);
      return words[0] as string;
    },
    run: async ({ packs }, scope, packId) => [await packs.exportFile(scope, packId)],
  }),
];

export const packActions: ReadonlyArray<ActionDeclaration<Services>> = [
  {
    action: "pack-import",
    access: "admin",
    run: async ({ packs }, scope, { value, file }) =>
      file ? packs.importFile(scope, file.bytes, value === "preview") : packs.attachFile(scope),
  },
];
