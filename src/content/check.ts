import type { ArticleTextOf } from "./article-texts.ts";
import { type Content, type ContentIssue, nearDuplicatesFile } from "./load.ts";
import { answerLetters } from "./schema.ts";

export const minQuestionsPerLeaf = 3;
export const maxAnswerPositionShare = 0.35;
export const lengthRanks = ["longest", "2nd", "3rd", "shortest"] as const;
export type LengthRank = (typeof lengthRanks)[number];
export const maxLengthRankShare = 0.3;
export const nearDuplicateSimilarity = 0.6;
/** A word in more than this share of the bank's prompts ("what", "does", "program", "printf") tells no prompt apart. */
export const commonWordShare = 0.05;

/**
 * How often a member who always picks the choice at each length rank hits the keyed answer, ties broken at random:
 * an answer as long as k-1 other choices earns 1/k at each rank it spans. Characters are counted as code points; with
 * three choices the 3rd longest is the shortest.
 */
export function answerLengthRanks(choices: string[], answer: number): Record<LengthRank, number> {
  const lengths = choices.map((choice) => [...choice].length);
  const own = lengths[answer] ?? 0;
  const longer = lengths.filter((length) => length > own).length;
  const tied = lengths.filter((length) => length === own).length;
  const positions = [0, 1, 2, lengths.length - 1];
  const hit = (position: number) => (position >= longer && position < longer + tied ? 1 / tied : 0);
  return Object.fromEntries(lengthRanks.map((rank, i) => [rank, hit(positions[i] ?? -1)])) as Record<LengthRank, number>;
}

/** The words of an English prompt (code included), lower-cased, as a set. */
function promptWords(prompt: string): Set<string> {
  return new Set(prompt.toLowerCase().match(/[a-z0-9]+/g) ?? []);
}

/**
 * Pairs of questions whose English prompts share most of their telling words: the word sets' Jaccard similarity, with
 * the words common across the bank left out, is at least `nearDuplicateSimilarity`.
 */
export function nearDuplicatePrompts<Q extends { id: string; en: { prompt: string } }>(
  questions: Q[],
): Array<{ first: Q; second: Q; similarity: number }> {
  const words = questions.map((q) => promptWords(q.en.prompt));
  const promptsWith = new Map<string, number>();
  for (const set of words) for (const word of set) promptsWith.set(word, (promptsWith.get(word) ?? 0) + 1);
  const common = Math.max(2, commonWordShare * questions.length);
  const telling = words.map((set) => [...set].filter((word) => (promptsWith.get(word) ?? 0) <= common));
  const pairs: Array<{ first: Q; second: Q; similarity: number }> = [];
  for (let i = 0; i < questions.length; i++) {
    const mine = new Set(telling[i]);
    for (let j = i + 1; j < questions.length; j++) {
      const theirs = telling[j] ?? [];
      const shared = theirs.filter((word) => mine.has(word)).length;
      const union = mine.size + theirs.length - shared;
      if (union > 0 && shared / union >= nearDuplicateSimilarity) {
        pairs.push({ first: questions[i] as Q, second: questions[j] as Q, similarity: shared / union });
      }
    }
  }
  return pairs;
}

export interface ContentStats {
  topics: number;
  leaves: number;
  questions: number;
  byDifficulty: Record<1 | 2 | 3, number>;
  byAnswer: Record<string, number>;
  articles: number;
  /** Articles with a note. */
  notes: number;
  articleQuestions: number;
  /** Article questions whose prompt years were looked up in the article's text; the others had no text to read. */
  articleYearsChecked: number;
  reading: number;
  /** Per question file and language: how often always picking each length rank finds the keyed answer. */
  lengthRankShares: Array<{ file: string; language: "en" | "zh"; shares: Record<LengthRank, number> }>;
}

export interface CheckOptions {
  /** The articles' texts. Without them (or for an article with no text file) the article-year rule checks less. */
  articleText?: ArticleTextOf;
}

/** Prompts compare equal when they differ only in case and white space. */
function normalizePrompt(prompt: string): string {
  return prompt.toLowerCase().replace(/\s+/g, " ").trim();
}

// A year standing alone: not part of a longer number, a size ("2048-byte"), a percentage, a time or a URL. Chinese
// prompts write a year as "2013 年" (or "2015～2016 年"), so there a number is a year only before 年: "2000 台" is not.
const yearPatterns = {
  en: /(?<![\w.,$¥€£/:])(?:19|20)\d\d(?![\w%]|[.,:/]\d|-[A-Za-z])/g,
  zh: /(?<![\w.,$¥€£/:])(?:19|20)\d\d(?=\s*年|\s*[～~–-]\s*(?:19|20)\d\d\s*年)/g,
};
// "the 2013 article", "The 2014 Stack Overflow update", "2013 年的文章", "2008 年 Google 架构文章": the year the article
// was published, not the year of an event.
const articleYearPatterns = [
  /\b(?:the|a|an|its|this|that)\s+((?:19|20)\d\d)\s+(?:(?!(?:the|a|an)\s)[^\s,.;:?!]+\s+){0,3}?(?:article|update|post|write-up)\b/gi,
  /((?:19|20)\d\d)\s*年[^，。？！；：,.?!;:\n]{0,24}?(?:文章|一文)/g,
];

/** A linked URL is not the article saying a year: blog URLs carry dates. */
function withoutUrls(text: string): string {
  return text.replace(/\]\([^)]*\)/g, "]").replace(/https?:\/\/\S+/g, " ");
}

/**
 * The years a case-study prompt gets wrong. "The YEAR article" must be the publication year. Any other year must be
 * the publication year or appear in the article's text (outside its URLs); without the text it is not judged.
 */
export function wrongArticleYears(language: "en" | "zh", prompt: string, published: string, text: string | undefined): string[] {
  const publishedYear = published.slice(0, 4);
  const articleYearAt = new Set<number>();
  for (const pattern of articleYearPatterns) {
    for (const match of prompt.matchAll(pattern)) articleYearAt.add(match.index + match[0].indexOf(match[1] ?? ""));
  }
  const wrong: string[] = [];
  const prose = text === undefined ? undefined : withoutUrls(text);
  for (const match of prompt.matchAll(yearPatterns[language])) {
    const year = match[0];
    if (year === publishedYear) continue;
    if (articleYearAt.has(match.index)) {
      wrong.push(`names "the ${year} article", but the article was published in ${publishedYear}`);
    } else if (prose !== undefined && !new RegExp(`(?<!\\d)${year}(?!\\d)`).test(prose)) {
      wrong.push(
        `names ${year}, which is neither the article's year (${publishedYear}) nor in its text: date the event as the article does, or say "the ${publishedYear} article"`,
      );
    }
  }
  return wrong;
}

/** The rules that span items and files; schema rules are checked while loading. */
export function checkContent(content: Content, options: CheckOptions = {}): { issues: ContentIssue[]; stats: ContentStats } {
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

  const articlesByUrl = new Map<string, (typeof content.articles)[number]>();
  for (const article of content.articles) {
    if (articlesByUrl.has(article.url)) fail(article.file, article.url, "duplicate-id", "article URL is listed twice");
    articlesByUrl.set(article.url, article);
    for (const t of article.topics) if (!topicIds.has(t)) fail(article.file, article.url, "unknown-topic", `topic ${t} does not exist`);
  }

  const noted = new Set<string>();
  for (const note of content.notes) {
    if (noted.has(note.url)) fail(note.file, note.url, "duplicate-id", "the article has two notes");
    noted.add(note.url);
    if (!articlesByUrl.has(note.url)) fail(note.file, note.url, "note-article", "the note's article is not in articles.tsv");
  }
  for (const article of articlesByUrl.values()) {
    if (!noted.has(article.url))
      fail("article-notes/", article.url, "note-missing", "the article has no note: the daily post would show only its title");
  }

  const questionIds = new Set<string>();
  const prompts = new Map<string, string>();
  const perTopic = new Map<string, number>();
  const byAnswer: Record<string, number> = {};
  const byDifficulty = { 1: 0, 2: 0, 3: 0 };
  let articleQuestions = 0;
  let articleYearsChecked = 0;
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
      const article = articlesByUrl.get(q.source.article);
      if (!article) fail(q.file, q.id, "source", `article ${q.source.article} is not in articles.tsv`);
      else {
        const text = options.articleText?.(article);
        if (text !== undefined) articleYearsChecked++;
        for (const language of ["en", "zh"] as const) {
          for (const wrong of wrongArticleYears(language, q[language].prompt, article.published, text)) {
            fail(q.file, q.id, "article-year", `${language} prompt ${wrong}`);
          }
        }
      }
    }
    if ("book" in q.source && !readingIds.has(q.source.book)) fail(q.file, q.id, "source", `book ${q.source.book} is not in reading.yaml`);
    perTopic.set(q.topic, (perTopic.get(q.topic) ?? 0) + 1);
    byAnswer[q.answer] = (byAnswer[q.answer] ?? 0) + 1;
    byDifficulty[q.difficulty]++;
  }

  const lengthRankShares: ContentStats["lengthRankShares"] = [];
  for (const file of [...new Set(content.questions.map((q) => q.file))]) {
    const inFile = content.questions.filter((q) => q.file === file);
    for (const language of ["en", "zh"] as const) {
      const ranks = inFile.map((q) => answerLengthRanks(q[language].choices, answerLetters.indexOf(q.answer)));
      const shares = Object.fromEntries(
        lengthRanks.map((rank) => [rank, ranks.reduce((sum, r) => sum + r[rank], 0) / inFile.length]),
      ) as Record<LengthRank, number>;
      lengthRankShares.push({ file, language, shares });
      for (const rank of lengthRanks) {
        if (shares[rank] <= maxLengthRankShare) continue;
        const there = inFile.filter((_, i) => ranks[i]?.[rank] === 1).map((q) => q.id);
        fail(
          file,
          "(file)",
          "answer-length",
          `${language}: always picking the ${rank === "longest" || rank === "shortest" ? rank : `${rank} longest`} choice finds the answer in ${Math.round(100 * shares[rank])}% of the questions (at most ${100 * maxLengthRankShare}%); rewrite some of: ${there.join(", ")}`,
        );
      }
    }
  }

  const allowedPairs = new Set<string>();
  const pairKey = (a: string, b: string) => [a, b].sort().join(" ");
  for (const allowed of content.allowedNearDuplicates) {
    const [a, b] = allowed.questions;
    for (const id of [a, b]) {
      if (!questionIds.has(id)) fail(allowed.file, pairKey(a, b), "near-duplicate", `question ${id} does not exist`);
    }
    allowedPairs.add(pairKey(a, b));
  }
  const alike = new Set<string>();
  for (const { first, second, similarity } of nearDuplicatePrompts(content.questions)) {
    alike.add(pairKey(first.id, second.id));
    if (allowedPairs.has(pairKey(first.id, second.id))) continue;
    fail(
      second.file,
      second.id,
      "near-duplicate",
      `its English prompt shares ${Math.round(100 * similarity)}% of its telling words with ${first.id} (${first.file}): merge them, give one another angle, or list the pair in ${nearDuplicatesFile} with the reason they differ`,
    );
  }
  for (const allowed of content.allowedNearDuplicates) {
    const [a, b] = allowed.questions;
    if (questionIds.has(a) && questionIds.has(b) && !alike.has(pairKey(a, b))) {
      fail(allowed.file, pairKey(a, b), "near-duplicate", "the prompts no longer read alike: remove the entry");
    }
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
      notes: noted.size,
      articleQuestions,
      articleYearsChecked,
      reading: content.reading.length,
      lengthRankShares,
    },
  };
}
