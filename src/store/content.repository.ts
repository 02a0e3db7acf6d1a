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

/** Active questions, optionally only those in the given topics; id, topic and source are enough to pick from. */
export async function questionCandidates(db: Db, topicIds?: string[]) {
  let query = db.selectFrom("questions").select(["id", "topic_id", "source_kind", "source_ref"]).where("retired", "=", 0);
  if (topicIds) {
    if (topicIds.length === 0) return [];
    query = query.where("topic_id", "in", topicIds);
  }
  return query.orderBy("id").execute();
}

export async function questionCountsByTopic(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("questions")
    .select(["topic_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("retired", "=", 0)
    .groupBy("topic_id")
    .execute();
  return new Map(rows.map((r) => [r.topic_id, Number(r.n)]));
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
    book: (id) => getBook(db, id),
  };
}
