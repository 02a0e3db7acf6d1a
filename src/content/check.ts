import type { Content, ContentIssue } from "./load.ts";
import { answerLetters } from "./schema.ts";

export const minQuestionsPerLeaf = 3;
export const maxAnswerPositionShare = 0.35;

export interface ContentStats {
  topics: number;
  leaves: number;
  questions: number;
  byDifficulty: Record<1 | 2 | 3, number>;
  byAnswer: Record<string, number>;
  articles: number;
  articleQuestions: number;
  reading: number;
}

/** Prompts compare equal when they differ only in case and white space. */
function normalizePrompt(prompt: string): string {
  return prompt.toLowerCase().replace(/\s+/g, " ").trim();
}

/** The rules that span items and files; schema rules are checked while loading. */
export function checkContent(content: Content): { issues: ContentIssue[]; stats: ContentStats } {
  const issues: ContentIssue[] = [];
  const fail = (file: string, id: string, rule: string, message: string) => issues.push({ file, id, rule, message });

  const topicIds = new Set<string>();
  for (const topic of content.topics) {
    if (topicIds.has(topic.id)) fail(topic.file, topic.id, "duplicate-id", "topic id is used twice");
    topicIds.add(topic.id);
  }
  const parentOf = (id: string) => (id.includes(".") ? id.slice(0, id.lastIndexOf(".")) : undefined);
  const parents = new Set<string>();
  for (const topic of content.topics) {
    const parent = parentOf(topic.id);
    if (parent === undefined) continue;
    parents.add(parent);
    if (!topicIds.has(parent)) fail(topic.file, topic.id, "unknown-topic", `parent topic ${parent} does not exist`);
  }

  const readingIds = new Set<string>();
  for (const book of content.reading) {
    if (readingIds.has(book.id)) fail(book.file, book.id, "duplicate-id", "reading id is used twice");
    readingIds.add(book.id);
    for (const t of book.topics) if (!topicIds.has(t)) fail(book.file, book.id, "unknown-topic", `topic ${t} does not exist`);
  }

  const articleUrls = new Set<string>();
  for (const article of content.articles) {
    if (articleUrls.has(article.url)) fail(article.file, article.url, "duplicate-id", "article URL is listed twice");
    articleUrls.add(article.url);
    for (const t of article.topics) if (!topicIds.has(t)) fail(article.file, article.url, "unknown-topic", `topic ${t} does not exist`);
  }

  const questionIds = new Set<string>();
  const prompts = new Map<string, string>();
  const perTopic = new Map<string, number>();
  const byAnswer: Record<string, number> = {};
  const byDifficulty = { 1: 0, 2: 0, 3: 0 };
  let articleQuestions = 0;
  for (const q of content.questions) {
    if (questionIds.has(q.id)) fail(q.file, q.id, "duplicate-id", "question id is used twice");
    questionIds.add(q.id);
    for (const language of ["zh", "en"] as const) {
      const key = `${language}:${normalizePrompt(q[language].prompt)}`;
      const other = prompts.get(key);
      if (other !== undefined) fail(q.file, q.id, "duplicate-prompt", `${language} prompt repeats question ${other}`);
      else prompts.set(key, q.id);
    }
    if (!topicIds.has(q.topic)) fail(q.file, q.id, "unknown-topic", `topic ${q.topic} does not exist`);
    if (q.zh.choices.length !== q.en.choices.length) {
      fail(q.file, q.id, "choice-count", `zh has ${q.zh.choices.length} choices, en has ${q.en.choices.length}`);
    }
    const answerIndex = answerLetters.indexOf(q.answer);
    if (answerIndex >= q.en.choices.length) fail(q.file, q.id, "answer", `answer ${q.answer} is not one of the choices`);
    if ("roadmap" in q.source && !topicIds.has(q.source.roadmap)) {
      fail(q.file, q.id, "source", `roadmap source ${q.source.roadmap} is not a topic`);
    }
    if ("article" in q.source) {
      articleQuestions++;
      if (!articleUrls.has(q.source.article)) fail(q.file, q.id, "source", `article ${q.source.article} is not in articles.tsv`);
    }
    if ("book" in q.source && !readingIds.has(q.source.book)) fail(q.file, q.id, "source", `book ${q.source.book} is not in reading.yaml`);
    perTopic.set(q.topic, (perTopic.get(q.topic) ?? 0) + 1);
    byAnswer[q.answer] = (byAnswer[q.answer] ?? 0) + 1;
    byDifficulty[q.difficulty]++;
  }

  const leaves = content.topics.filter((t) => !parents.has(t.id));
  for (const leaf of leaves) {
    const count = perTopic.get(leaf.id) ?? 0;
    if (count < minQuestionsPerLeaf) {
      fail(leaf.file, leaf.id, "leaf-questions", `leaf topic has ${count} questions, needs at least ${minQuestionsPerLeaf}`);
    }
  }

  const total = content.questions.length;
  for (const [letter, count] of Object.entries(byAnswer)) {
    if (total > 0 && count / total > maxAnswerPositionShare) {
      const share = Math.round((100 * count) / total);
      fail("questions/", "(all questions)", "answer-position", `answer ${letter} is right in ${share}% of questions (at most 35%)`);
    }
  }

  return {
    issues,
    stats: {
      topics: content.topics.length,
      leaves: leaves.length,
      questions: total,
      byDifficulty,
      byAnswer,
      articles: content.articles.length,
      articleQuestions,
      reading: content.reading.length,
    },
  };
}
