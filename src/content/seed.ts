import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "../store/database.ts";
import { getMeta, setMeta } from "../store/meta.repository.ts";
import { type CheckOptions, type ContentStats, checkContent } from "./check.ts";
import { type ImportCounts, importContent } from "./import.ts";
import { type ContentIssue, loadContent } from "./load.ts";

// Also right from the bundle: scripts/build.js writes it to dist/bundle/, as deep as this file.
export const defaultSeedsDir = fileURLToPath(new URL("../../seeds", import.meta.url));

/** Content that breaks a rule: nothing is imported. */
export class ContentError extends Error {
  constructor(readonly issues: ContentIssue[]) {
    super(`content check failed with ${issues.length} problem(s):\n${issues.map(formatIssue).join("\n")}`);
  }
}

export function formatIssue(issue: ContentIssue): string {
  return `${issue.file}: ${issue.id}: [${issue.rule}] ${issue.message}`;
}

/** Loads and checks the content; throws ContentError listing every problem. */
export function readCheckedContent(dir = defaultSeedsDir, options: CheckOptions = {}) {
  const { content, issues } = loadContent(dir);
  const checked = checkContent(content, options);
  const all = [...issues, ...checked.issues];
  if (all.length > 0) throw new ContentError(all);
  return { content, stats: checked.stats };
}

/** A hash of every content file, so start-up can skip an import when nothing changed. */
function contentFingerprint(dir = defaultSeedsDir): string {
  const digest = createHash("sha256");
  const walk = (path: string) => {
    for (const entry of readdirSync(path).sort()) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else digest.update(entry).update(readFileSync(full));
    }
  };
  walk(dir);
  return digest.digest("hex");
}

export interface SeedResult {
  counts: ImportCounts | undefined;
  stats: ContentStats | undefined;
}

/** Imports the content; with `onlyIfChanged`, skips when the files match the last import. */
export async function seedDatabase(db: Db, now: Date, options: { dir?: string; onlyIfChanged?: boolean } = {}): Promise<SeedResult> {
  const dir = options.dir ?? defaultSeedsDir;
  const fingerprint = contentFingerprint(dir);
  if (options.onlyIfChanged) {
    if ((await getMeta(db, "content_fingerprint")) === fingerprint) return { counts: undefined, stats: undefined };
  }
  const { content, stats } = readCheckedContent(dir);
  // Replicas starting together import the same content at once: the loser of a write conflict tries again and finds it done.
  for (let attempt = 1; ; attempt++) {
    try {
      const counts = await importContent(db, content, now);
      await setMeta(db, "content_fingerprint", fingerprint);
      return { counts, stats };
    } catch (error) {
      if (attempt >= importAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 100));
    }
  }
}

const importAttempts = 5;
