import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { strings } from "../../core/i18n.ts";
import { message } from "../../core/message.ts";
import type { Platform } from "../../core/ports.ts";
import { checkConnection, type Db, migrateToLatest, openDatabase } from "../../store/database.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import { formatPackProblem, type PackFile, packPreview, readPackFile } from "./pack-file.ts";
import * as packs from "./packs.repository.ts";

export const packHelp = `Usage:
  study-bot pack import <file> --workspace <platform>:<id> [--dry-run]
  study-bot pack list --workspace <platform>:<id>
  study-bot pack enable|disable|remove <pack-id> --workspace <platform>:<id>
  study-bot pack export <pack-id> --workspace <platform>:<id>

A workspace's own question packs (the format is in README.md). import checks the file first and lists every problem at
once, by question id and line (schema, duplicate ids, an answer past the choices, choice counts, text over the
platforms' limits, a file over 1 MB or over 2,000 questions), exiting 1 and storing nothing; then it stores the pack for
the workspace (e.g. slack:T0123ABCD, discord:<server id>, console:local). Importing a pack id again updates it in place:
questions gone from the file are retired, their answers kept. --dry-run prints the count, the topics and three sample
questions and stores nothing (no --workspace needed). list shows the workspace's packs; enable and disable decide whether
quizzes draw from one; remove retires its questions and forgets it; export prints the file as last imported.`;

type Printer = { out: (line: string) => void; err: (line: string) => void };

/** `study-bot pack ...`: returns the exit code. */
export async function runPackCommand(argv: string[], databaseUrl: () => string, print: Printer): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    print.err(`pack: ${(error as Error).message}\n\n${packHelp}`);
    return 2;
  }
  const { action, target, workspace, dryRun } = parsed;
  const known = action !== undefined && ["import", "list", "enable", "disable", "remove", "export"].includes(action);
  if (!known || (action === "list") !== (target === undefined)) {
    print.err(`pack: give an action and its argument (list takes none)\n\n${packHelp}`);
    return 2;
  }
  if (workspace !== undefined && !/^(slack|discord|console):.+$/.test(workspace)) {
    print.err(`pack: --workspace must be <platform>:<id> with platform slack, discord or console, not "${workspace}"`);
    return 2;
  }
  if (action === "import" && dryRun) {
    const checked = await readChecked(target as string, print);
    if (typeof checked === "number") return checked;
    print.out("preview only: nothing was stored");
    return 0;
  }
  if (!workspace) return missingWorkspace(print);
  if (action === "import") {
    const checked = await readChecked(target as string, print);
    if (typeof checked === "number") return checked;
    return withDatabase(databaseUrl(), async (db) => {
      const [platform, ...rest] = workspace.split(":");
      const row = { id: workspace, platform: platform as Platform, externalId: rest.join(":"), name: null };
      await workspaces.ensureWorkspace(db, row, new Date());
      const { counts } = await packs.savePack(db, workspace, checked.pack, checked.text, new Date());
      print.out(
        `imported into ${workspace}: ${counts.added} added, ${counts.updated} updated, ${counts.retired} retired (answers kept), ${counts.unchanged} unchanged`,
      );
      return 0;
    });
  }
  return withDatabase(databaseUrl(), async (db) => {
    if (!(await workspaces.getWorkspace(db, workspace))) {
      print.err(`no workspace ${workspace} in this database`);
      return 1;
    }
    if (action === "list") {
      const stored = await packs.listPacks(db, workspace);
      if (stored.length === 0) print.out(`${workspace} has no question packs`);
      for (const p of stored) {
        print.out(`${p.id}\t${p.enabled ? "enabled" : "disabled"}\t${p.questions} questions\t${p.language ?? "en+zh"}\t${p.title}`);
      }
      return 0;
    }
    const packId = target as string;
    const found =
      action === "export"
        ? await packs.packFileText(db, workspace, packId)
        : action === "remove"
          ? await packs.removePack(db, workspace, packId)
          : await packs.setPackEnabled(db, workspace, packId, action === "enable");
    if (found === undefined || found === false) {
      print.err(`${workspace} has no pack ${packId}`);
      return 1;
    }
    print.out(typeof found === "string" ? found.replace(/\n$/, "") : `${packId}: ${action}d`);
    return 0;
  });
}

/** Reads and checks a pack file, printing its problems (and returning the exit code) or its preview. */
async function readChecked(path: string, print: Printer): Promise<number | { pack: PackFile; text: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    print.err(`pack: cannot read ${path}: ${(error as Error).message}`);
    return 1;
  }
  const { pack, text, problems } = readPackFile(bytes);
  if (!pack || text === undefined) {
    print.err(`${path}: ${problems.length} problem${problems.length === 1 ? "" : "s"}, nothing imported:`);
    for (const problem of problems) print.err(`  ${formatPackProblem(problem)}`);
    return 1;
  }
  print.out(message(packPreview(strings("en"), pack)).text);
  return { pack, text };
}

function parse(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { workspace: { type: "string" }, "dry-run": { type: "boolean" } },
  });
  const [action, target, ...extra] = positionals;
  if (extra.length > 0) throw new Error(`unexpected ${extra.join(" ")}`);
  return { action, target, workspace: values.workspace, dryRun: values["dry-run"] === true };
}

function missingWorkspace(print: Printer): number {
  print.err(`pack: name the workspace with --workspace <platform>:<id>\n\n${packHelp}`);
  return 2;
}

async function withDatabase(url: string, work: (db: Db) => Promise<number>): Promise<number> {
  const db = openDatabase(url);
  await checkConnection(db, url);
  try {
    await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
}
