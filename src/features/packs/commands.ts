import { readFile } from "node:fs/promises";
import { command } from "../services.ts";
import { type PackAction, packActions } from "./packs.ts";

const packUsage = "/study pack [enable|disable|remove <pack-id>]";
const importUsage = "/study pack import <path> [--dry-run]";
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
    options: [
      {
        name: "action",
        description: "What to do with the pack",
        kind: "choice",
        required: true,
        choices: packActions.map((action) => ({ name: action, value: action })),
      },
      { name: "pack", description: "The pack's id (see /study pack)", kind: "text", required: true },
    ],
    parse: (words, fail, t) => {
      if (words.length === 0) return undefined;
      const [action = "", packId, ...rest] = words;
      const known = packActions.find((a) => a === action.toLowerCase());
      if (action === "import" || action === "export") return fail(t.packFilesOnMachine);
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
      en: "admin: check a pack file on this machine and import it (--dry-run: preview, store nothing)",
      zh: "管理员：检查本机上的题包文件并导入（--dry-run：只预览，不保存）",
    },
    access: "admin",
    // The file is a path on the machine the bot runs on: only the console's user is at that machine.
    platforms: ["console"],
    description: "Import a question pack",
    options: [{ name: "path", description: "The pack file", kind: "text", required: true }],
    parse: (words, fail, t) => {
      const previewOnly = words.includes("--dry-run");
      const paths = words.filter((word) => word !== "--dry-run");
      if (paths.length === 0) return fail(t.missingValue("path"));
      if (paths.length > 1) return fail(t.tooManyArguments);
      return { path: paths[0] as string, previewOnly };
    },
    run: async ({ packs }, scope, { path, previewOnly }) => {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        return [packs.unreadable(scope, path, error as NodeJS.ErrnoException)];
      }
      return [await packs.importFile(scope, bytes, previewOnly)];
    },
  }),
  command({
    path: ["pack", "export"],
    usage: exportUsage,
    help: { en: "admin: write a pack's file, as last imported, beside the console", zh: "管理员：把题包文件（最近一次导入的）写到本机" },
    access: "admin",
    platforms: ["console"],
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
