import { contentHash } from "../../content/import.ts";
import { answerLetters } from "../../content/schema.ts";
import { teamTopicRoot } from "../../core/topic-tree.ts";
import type { Db } from "../../store/database.ts";
import type { PackFile } from "./pack-file.ts";

/** A team topic's id: the name lower-cased, runs of anything but letters and digits (any script) made one dash. */
export function teamTopicId(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return `${teamTopicRoot.id}.${slug || "topic"}`;
}

/** A team question's id: unique across workspaces and packs, so answers, rounds and reviews can point at it. */
export const teamQuestionId = (workspaceId: string, packId: string, questionId: string) => `${workspaceId}/${packId}/${questionId}`;

export interface PackCounts {
  added: number;
  updated: number;
  retired: number;
  unchanged: number;
}

export interface StoredPack {
  id: string;
  title: string;
  description: string | null;
  author: string | null;
  language: string | null;
  enabled: boolean;
  questions: number;
  importedAt: string;
}

/** A question's stored body: its text per language, its topic's name, and its pack's title and link. */
export interface TeamQuestionBody {
  en?: { prompt: string; choices: string[]; explanation: string };
  zh?: { prompt: string; choices: string[]; explanation: string };
  topic: string;
  pack: string;
}

// retired: 0 active, 1 gone from its pack (or the pack removed), 2 held back while the pack is disabled.
const active = 0;
const gone = 1;
const heldBack = 2;

/**
 * Stores a checked pack for a workspace in one transaction: a new pack is added enabled; a pack id imported before is
 * updated in place, keeping whether it is enabled, and its questions missing from the file are retired (their answers
 * stay). Returns what changed and whether the pack was new.
 */
export function savePack(
  db: Db,
  workspaceId: string,
  pack: PackFile,
  file: string,
  now: Date,
): Promise<{ counts: PackCounts; created: boolean }> {
  return db.transaction().execute((trx) => storePack(trx, workspaceId, pack, file, now));
}

/** savePack's work, inside a transaction the caller holds (an approved submission adds to its pack in its own). */
export async function storePack(
  trx: Db,
  workspaceId: string,
  pack: PackFile,
  file: string,
  now: Date,
): Promise<{ counts: PackCounts; created: boolean }> {
  const counts: PackCounts = { added: 0, updated: 0, retired: 0, unchanged: 0 };
  const topics = [...new Map(pack.questions.map((q) => [teamTopicId(q.topic), q.topic])).entries()].map(([id, name]) => ({ id, name }));
  const existing = await trx
    .selectFrom("packs")
    .select("enabled")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", pack.id)
    .executeTakeFirst();
  const enabled = existing ? existing.enabled : 1;
  const row = {
    title: pack.title,
    description: pack.description ?? null,
    author: pack.author ?? null,
    language: pack.language ?? null,
    questions: pack.questions.length,
    topics: JSON.stringify(topics),
    file,
    imported_at: now.toISOString(),
  };
  if (existing) {
    await trx.updateTable("packs").set(row).where("workspace_id", "=", workspaceId).where("id", "=", pack.id).execute();
  } else {
    await trx
      .insertInto("packs")
      .values({ workspace_id: workspaceId, id: pack.id, enabled, ...row })
      .execute();
  }
  const stored = await trx
    .selectFrom("questions")
    .select(["id", "content_hash", "retired"])
    .where("workspace_id", "=", workspaceId)
    .where("pack_id", "=", pack.id)
    .execute();
  const byId = new Map(stored.map((q) => [q.id, q]));
  const status = enabled ? active : heldBack;
  const wanted = new Set<string>();
  for (const q of pack.questions) {
    const id = teamQuestionId(workspaceId, pack.id, q.id);
    wanted.add(id);
    const body: TeamQuestionBody = { ...(q.en && { en: q.en }), ...(q.zh && { zh: q.zh }), topic: q.topic, pack: pack.title };
    const values = {
      topic_id: teamTopicId(q.topic),
      difficulty: q.difficulty,
      answer: answerLetters.indexOf(q.answer),
      body: JSON.stringify(body),
      source_kind: "pack",
      source_ref: q.source?.url ?? "",
    };
    const hash = contentHash(values);
    const current = byId.get(id);
    if (!current) {
      await trx
        .insertInto("questions")
        .values({
          id,
          ...values,
          content_hash: hash,
          retired: status,
          updated_at: now.toISOString(),
          workspace_id: workspaceId,
          pack_id: pack.id,
        })
        .execute();
      counts.added++;
    } else if (current.content_hash !== hash || current.retired !== status) {
      await trx
        .updateTable("questions")
        .set({ ...values, content_hash: hash, retired: status, updated_at: now.toISOString() })
        .where("id", "=", id)
        .execute();
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  for (const q of stored) {
    if (wanted.has(q.id) || q.retired === gone) continue;
    await trx.updateTable("questions").set({ retired: gone }).where("id", "=", q.id).execute();
    counts.retired++;
  }
  return { counts, created: !existing };
}

export async function listPacks(db: Db, workspaceId: string): Promise<StoredPack[]> {
  const rows = await db
    .selectFrom("packs")
    .select(["id", "title", "description", "author", "language", "enabled", "questions", "imported_at"])
    .where("workspace_id", "=", workspaceId)
    .orderBy("id")
    .execute();
  return rows.map(({ enabled, imported_at, ...rest }) => ({ ...rest, enabled: enabled === 1, importedAt: imported_at }));
}

/** Turns a pack on or off for quizzes, reviews and the topic tree; false when the workspace has no such pack. */
export async function setPackEnabled(db: Db, workspaceId: string, packId: string, enabled: boolean): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("packs")
      .set({ enabled: enabled ? 1 : 0 })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", packId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await trx
      .updateTable("questions")
      .set({ retired: enabled ? active : heldBack })
      .where("workspace_id", "=", workspaceId)
      .where("pack_id", "=", packId)
      .where("retired", "!=", gone)
      .execute();
    return true;
  });
}

/** Removes a pack: its questions are retired (answer history kept) and the pack is forgotten; false when there is none. */
export async function removePack(db: Db, workspaceId: string, packId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom("packs").where("workspace_id", "=", workspaceId).where("id", "=", packId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await trx
      .updateTable("questions")
      .set({ retired: gone })
      .where("workspace_id", "=", workspaceId)
      .where("pack_id", "=", packId)
      .execute();
    return true;
  });
}

/** The file a pack was last imported from, as it was. */
export async function packFileText(db: Db, workspaceId: string, packId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("packs")
    .select("file")
    .where("workspace_id", "=", workspaceId)
    .where("id", "=", packId)
    .executeTakeFirst();
  return row?.file;
}
