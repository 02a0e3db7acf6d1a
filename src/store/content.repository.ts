import type { Selectable } from "kysely";
import type { ContentStore } from "../core/catalog.ts";
import type { Db } from "./database.ts";
import type { ArticlesTable, QuestionsTable, TopicsTable } from "./schema.ts";

export type TopicRow = Selectable<TopicsTable>;
export type QuestionRow = Selectable<QuestionsTable>;
export type ArticleRow = Selectable<ArticlesTable>;

export async function activeTopics(db: Db): Promise<TopicRow[]> {
  return db.selectFrom("topics").selectAll().where("retired", "=", 0).orderBy("position").execute();
}

export async function getQuestion(db: Db, id: string): Promise<QuestionRow | undefined> {
  return db.selectFrom("questions").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The bank's active questions (no team's), optionally only those in the given topics; id, topic and source are enough to pick from. */
export async function questionCandidates(db: Db, topicIds?: string[]) {
  let query = db
    .selectFrom("questions")
    .select(["id", "topic_id", "source_kind", "source_ref"])
    .where("retired", "=", 0)
    .where("workspace_id", "is", null);
  if (topicIds) {
    if (topicIds.length === 0) return [];
    query = query.where("topic_id", "in", topicIds);
  }
  return query.orderBy("id").execute();
}

/** Active questions per topic: the bank's and the workspace's own. */
export async function questionCountsByTopic(db: Db, workspaceId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("questions")
    .select(["topic_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("retired", "=", 0)
    .where((eb) => eb.or([eb("workspace_id", "is", null), eb("workspace_id", "=", workspaceId)]))
    .groupBy("topic_id")
    .execute();
  return new Map(rows.map((r) => [r.topic_id, Number(r.n)]));
}

/** A workspace's active team questions: id, topic and source are enough to pick from. */
export async function teamCandidates(db: Db, workspaceId: string) {
  return db
    .selectFrom("questions")
    .select(["id", "topic_id", "source_kind", "source_ref"])
    .where("workspace_id", "=", workspaceId)
    .where("retired", "=", 0)
    .orderBy("id")
    .execute();
}

/** The topics of a workspace's enabled packs, each once, by name. */
export async function teamTopics(db: Db, workspaceId: string): Promise<Array<{ id: string; name: string }>> {
  const rows = await db
    .selectFrom("packs")
    .select("topics")
    .where("workspace_id", "=", workspaceId)
    .where("enabled", "=", 1)
    .orderBy("id")
    .execute();
  const topics = new Map<string, string>();
  for (const row of rows)
    for (const t of JSON.parse(row.topics) as Array<{ id: string; name: string }>) if (!topics.has(t.id)) topics.set(t.id, t.name);
  return [...topics].map(([id, name]) => ({ id, name }));
}

/** Every article, retired ones too (a digest chosen before an article was retired still shows it), by URL order. */
export async function allArticles(db: Db): Promise<ArticleRow[]> {
  return db.selectFrom("articles").selectAll().orderBy("url").execute();
}

export async function getArticle(db: Db, url: string): Promise<ArticleRow | undefined> {
  return db.selectFrom("articles").selectAll().where("url", "=", url).executeTakeFirst();
}

export async function getBook(db: Db, id: string) {
  return db.selectFrom("reading").select(["title", "en_title", "author"]).where("id", "=", id).executeTakeFirst();
}

/** The catalog's view of the content tables. */
export function contentStore(db: Db): ContentStore {
  return {
    activeTopics: async () => (await activeTopics(db)).map((x) => ({ id: x.id, parentId: x.parent_id, zh: x.zh_name, en: x.en_name })),
    allArticles: () => allArticles(db),
    article: (url) => getArticle(db, url),
    question: (id) => getQuestion(db, id),
    candidates: () => questionCandidates(db),
    workspacesWithPacks: async () =>
      (await db.selectFrom("packs").select("workspace_id").distinct().where("enabled", "=", 1).execute()).map((r) => r.workspace_id),
    teamCandidates: (workspaceId) => teamCandidates(db, workspaceId),
    teamTopics: (workspaceId) => teamTopics(db, workspaceId),
    book: (id) => getBook(db, id),
  };
}
