import { message, privateReply, type Reply } from "../../core/message.ts";
import type { Scope } from "../../core/scope.ts";
import type { Kernel } from "../kernel.ts";
import { formatPackProblem, packPreview, readPackFile } from "./pack-file.ts";
import * as packs from "./packs.repository.ts";

/** A chat message lists this many problems of a broken pack; the command line lists them all. */
const problemsShown = 30;

export type PackAction = "enable" | "disable" | "remove";
export const packChanges: readonly PackAction[] = ["enable", "disable", "remove"];

/** A workspace's own question packs: import (checked first, all problems at once), list, enable, disable, remove, export. */
export class Packs {
  constructor(private readonly k: Kernel) {}

  /** Checks a pack file and, unless this is a preview, stores it for the workspace (an imported pack id is updated in place). */
  async importFile(scope: Scope, bytes: Uint8Array, previewOnly: boolean): Promise<Reply> {
    const { t } = scope;
    const { pack, text, problems } = readPackFile(bytes);
    if (!pack || text === undefined) {
      const shown = problems.slice(0, problemsShown).map(formatPackProblem);
      if (problems.length > problemsShown) shown.push(t.packMoreProblems(problems.length - problemsShown));
      return privateReply([
        { type: "text", text: t.packProblems(problems.length) },
        { type: "code", text: shown.join("\n") },
      ]);
    }
    const preview = packPreview(t, pack);
    if (previewOnly) return privateReply([...preview, { type: "context", text: t.packDryRun }]);
    const { counts } = await packs.savePack(this.k.db, scope.workspaceId, pack, text, this.k.clock.now());
    this.k.catalog.forgetTeam(scope.workspaceId);
    return privateReply([
      ...preview,
      { type: "text", text: t.packImported(counts.added, counts.updated, counts.retired, counts.unchanged) },
    ]);
  }

  /** Slack's way to send a file with a command: a form with a file input; submitting it is the pack-import action. */
  uploadForm(scope: Scope, previewOnly: boolean): Reply {
    const { t } = scope;
    return {
      ...privateReply([]),
      form: {
        title: previewOnly ? t.packPreviewTitle : t.packUploadTitle,
        action: "pack-import",
        value: previewOnly ? "preview" : "import",
        fields: [],
        file: { label: t.packUploadLabel, types: ["yaml", "yml", "json"] },
      },
    };
  }

  /** An import with no file attached. */
  attachFile(scope: Scope): Reply {
    return privateReply([{ type: "text", text: scope.t.attachPackFile }]);
  }

  /** A pack file that could not be read, said plainly (missing, a folder, no permission). */
  unreadable(scope: Scope, path: string, error: NodeJS.ErrnoException): Reply {
    const reason =
      error.code === "ENOENT"
        ? "no such file"
        : error.code === "EISDIR"
          ? "it is a folder"
          : error.code === "EACCES"
            ? "permission denied"
            : error.message;
    return privateReply([{ type: "text", text: scope.t.packUnreadable(path, reason) }]);
  }

  /** /study pack: the workspace's packs and what quizzes draw from. */
  async list(scope: Scope): Promise<Reply> {
    const { t, settings } = scope;
    const stored = await packs.listPacks(this.k.db, scope.workspaceId);
    const lines = stored.map((p) => t.packLine(p.id, p.title, p.questions, p.language, p.enabled));
    return privateReply([
      { type: "header", text: t.packsTitle },
      stored.length > 0 ? { type: "code", text: lines.join("\n") } : { type: "text", text: t.noPacks },
      { type: "context", text: t.packSource(settings.questionSource) },
    ]);
  }

  /** /study pack enable|disable|remove <id> (admin). */
  async change(scope: Scope, action: PackAction, packId: string): Promise<Reply> {
    const { t } = scope;
    const { db } = this.k;
    const found =
      action === "remove"
        ? await packs.removePack(db, scope.workspaceId, packId)
        : await packs.setPackEnabled(db, scope.workspaceId, packId, action === "enable");
    if (!found) return privateReply([{ type: "text", text: t.noSuchPack(packId) }]);
    this.k.catalog.forgetTeam(scope.workspaceId);
    return privateReply([{ type: "text", text: t.packChanged(packId, action) }]);
  }

  /** The pack's file as it was last imported, as a file beside the reply. */
  async exportFile(scope: Scope, packId: string): Promise<Reply> {
    const { t } = scope;
    const file = await packs.packFileText(this.k.db, scope.workspaceId, packId);
    if (file === undefined) return privateReply([{ type: "text", text: t.noSuchPack(packId) }]);
    return {
      visibility: "private",
      message: {
        ...message([{ type: "text", text: t.packExported(packId) }]),
        files: [{ name: `pack-${packId}.yaml`, content: Buffer.from(file) }],
      },
    };
  }
}
