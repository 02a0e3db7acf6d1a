import { createHash } from "node:crypto";
import type { Db } from "../store/database.ts";
import type { Content } from "./load.ts";
import { answerLetters } from "./schema.ts";

export interface ImportCounts {
  added: number;
  updated: number;
  retired: number;
  unchanged: number;
}

/** What a stored row is compared by: an import updates a row only when this changed. */
export const contentHash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

interface Row {
  key: string;
  hash: string;
  values: Record<string, unknown>;
}

/**
 * Writes checked content into the database: new items are added, changed ones updated in place,
 * items gone from the files retired (kept, so answer history still points at them).
 */
export async function importContent(db: Db, content: Content, now: Date): Promise<ImportCounts> {
  const counts: ImportCounts = { added: 0, updated: 0, retired: 0, unchanged: 0 };
  const updatedAt = now.toISOString();

  const topics: Row[] = content.topics.map((t, position) => {
    const values = {
      parent_id: t.id.includes(".") ? t.id.slice(0, t.id.lastIndexOf(".")) : null,
      zh_name: t.zh,
      en_name: t.en,
      ref: t.ref ?? null,
      position,
    };
    return { key: t.id, hash: contentHash(values), values };
  });
  const questions: Row[] = content.questions.map((q) => {
    const [sourceKind, sourceRef] = Object.entries(q.source)[0] as [string, string];
    const values = {
      topic_id: q.topic,
      difficulty: q.difficulty,
      answer: answerLetters.indexOf(q.answer),
      body: JSON.stringify({ zh: q.zh, en: q.en }),
      source_kind: sourceKind,
      source_ref: sourceRef,
    };
    return { key: q.id, hash: contentHash(values), values: { ...values, updated_at: updatedAt } };
  });
  const notes = new Map(content.notes.map(({ file: _file, url, ...note }) => [url, note]));
  const articles: Row[] = content.articles.map((a) => {
    const note = notes.get(a.url);
    const values = {
      zh_title: a.zh_title,
      en_title: a.en_title,
      published: a.published,
      zh_url: a.zh_translation_url,
      topics: JSON.stringify(a.topics),
      note: note ? JSON.stringify(note) : null,
    };
    return { key: a.url, hash: contentHash(values), values };
  });
  const reading: Row[] = content.reading.map((b) => {
    const values = { title: b.title, en_title: b.en, author: b.author ?? null, topics: JSON.stringify(b.topics) };
    return { key: b.id, hash: contentHash(values), values };
  });

  await db.transaction().execute(async (trx) => {
    await sync(trx, "topics", "id", topics, counts);
    await sync(trx, "questions", "id", questions, counts);
    await sync(trx, "articles", "url", articles, counts);
    await sync(trx, "reading", "id", reading, counts);
  });
  return counts;
}

type SyncedTable = "topics" | "questions" | "articles" | "reading";

/** Brings one table in line with the rows, comparing content hashes. */
async function sync(trx: Db, table: SyncedTable, keyColumn: "id" | "url", rows: Row[], counts: ImportCounts): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: one generic upsert over four tables whose shapes differ
  const t = trx as any;
  let query = t.selectFrom(table).selectAll();
  // A workspace's own questions (its packs) are not the seeds' to add or retire.
  if (table === "questions") query = query.where("workspace_id", "is", null);
  const existing: Array<Record<string, unknown>> = await query.execute();
  const byKey = new Map(existing.map((row) => [row[keyColumn] as string, row]));
  const wanted = new Set(rows.map((r) => r.key));

  for (const row of rows) {
    const current = byKey.get(row.key);
    const values = { ...row.values, content_hash: row.hash };
    if (!current) {
      await t
        .insertInto(table)
        .values({ [keyColumn]: row.key, ...values, retired: 0 })
        .execute();
      counts.added++;
    } else if (current.retired !== 0 || current.content_hash !== row.hash) {
      await t
        .updateTable(table)
        .set({ ...values, retired: 0 })
        .where(keyColumn, "=", row.key)
        .execute();
      counts.updated++;
    } else {
      counts.unchanged++;
    }
  }
  for (const [key, current] of byKey) {
    if (wanted.has(key) || current.retired !== 0) continue;
    await t.updateTable(table).set({ retired: 1 }).where(keyColumn, "=", key).execute();
    counts.retired++;
  }
}
