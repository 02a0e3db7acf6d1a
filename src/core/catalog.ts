import { timedCache } from "./cache.ts";
import type { Clock } from "./clock.ts";
import { type Language, strings } from "./i18n.ts";
import type { TopicNode } from "./topic-tree.ts";

/** Content is re-read after this time, so a `study-bot seed` run by another process shows. */
const contentLifetimeMs = 60_000;
const questionViewCacheSize = 20_000;

export interface ArticleRecord {
  url: string;
  zh_title: string;
  en_title: string;
  zh_url: string;
  published: string;
  /** The article's topic ids as a JSON list. */
  topics: string;
  /** Its note as JSON (ArticleNote), or null. */
  note: string | null;
  retired: number;
}

/** What the daily post says of an article in one language, with the reading time. */
export interface ArticleNote {
  minutes: number;
  en: { summary: string; takeaways: string[] };
  zh: { summary: string; takeaways: string[] };
}

export interface QuestionRecord {
  id: string;
  topic_id: string;
  difficulty: number;
  answer: number;
  /** `{ en: QuestionText, zh: QuestionText }` as JSON. */
  body: string;
  source_kind: string;
  source_ref: string;
}

export interface Candidate {
  id: string;
  topic_id: string;
  source_kind: string;
  source_ref: string | null;
}

export interface BookRecord {
  title: string;
  en_title: string;
  author: string | null;
}

/** Where the imported content is read from (src/store/content.repository.ts). */
export interface ContentStore {
  activeTopics(): Promise<TopicNode[]>;
  allArticles(): Promise<ArticleRecord[]>;
  article(url: string): Promise<ArticleRecord | undefined>;
  question(id: string): Promise<QuestionRecord | undefined>;
  /** Active questions: id, topic and source are enough to pick from. */
  candidates(): Promise<Candidate[]>;
  book(id: string): Promise<BookRecord | undefined>;
}

export interface QuestionText {
  prompt: string;
  choices: string[];
  explanation: string;
}

export interface QuestionView {
  id: string;
  difficulty: number;
  answer: number;
  text: QuestionText;
  topicName: string;
  source: { label: string; url?: string };
}

export interface Articles {
  byUrl: Map<string, ArticleRecord>;
  activeUrls: string[];
}

type Loads = { topics: TopicNode[]; candidates: Candidate[]; articles: Articles };

/** The imported content as the domain reads it, kept for contentLifetimeMs by the injected clock. */
export class Catalog {
  // Promises, so that the many channels of a fan-out asking at once share one query.
  private readonly loads;
  private readonly questionViews;

  constructor(
    private readonly store: ContentStore,
    clock: Clock,
  ) {
    this.loads = timedCache<keyof Loads, Promise<Loads[keyof Loads]>>(clock, { max: 3, ttlMs: contentLifetimeMs });
    this.questionViews = timedCache<string, QuestionView>(clock, { max: questionViewCacheSize, ttlMs: contentLifetimeMs });
  }

  topics(): Promise<TopicNode[]> {
    return this.shared("topics", () => this.store.activeTopics());
  }

  candidates(): Promise<Candidate[]> {
    return this.shared("candidates", () => this.store.candidates());
  }

  articles(): Promise<Articles> {
    return this.shared("articles", async () => {
      const rows = await this.store.allArticles();
      return { byUrl: new Map(rows.map((a) => [a.url, a])), activeUrls: rows.filter((a) => a.retired === 0).map((a) => a.url) };
    });
  }

  /** An article from the cache, or from the database when it was imported after the cache was loaded. */
  async article(url: string): Promise<ArticleRecord | undefined> {
    return (await this.articles()).byUrl.get(url) ?? this.store.article(url);
  }

  async questionView(questionId: string, language: Language): Promise<QuestionView> {
    const key = `${language}:${questionId}`;
    const cached = this.questionViews.get(key);
    if (cached) return cached;
    const view = await this.loadQuestionView(questionId, language);
    this.questionViews.set(key, view);
    return view;
  }

  topicName(topic: TopicNode, language: Language): string {
    return language === "zh" ? topic.zh : topic.en;
  }

  /** One load shared by every caller until it expires; a failed load is forgotten, not kept. */
  private shared<K extends keyof Loads>(key: K, load: () => Promise<Loads[K]>): Promise<Loads[K]> {
    const existing = this.loads.get(key);
    if (existing) return existing as Promise<Loads[K]>;
    const loading = load();
    this.loads.set(key, loading);
    loading.catch(() => {
      if (this.loads.get(key) === loading) this.loads.delete(key);
    });
    return loading;
  }

  private async loadQuestionView(questionId: string, language: Language): Promise<QuestionView> {
    const row = await this.store.question(questionId);
    if (!row) throw new Error(`question ${questionId} is missing`);
    const body = JSON.parse(row.body);
    const topic = (await this.topics()).find((x) => x.id === row.topic_id);
    return {
      id: row.id,
      difficulty: row.difficulty,
      answer: row.answer,
      text: body[language],
      topicName: topic ? this.topicName(topic, language) : row.topic_id,
      source: await this.sourceOf(row.source_kind, row.source_ref, language),
    };
  }

  private async sourceOf(kind: string, ref: string, language: Language): Promise<{ label: string; url?: string }> {
    if (kind === "article") {
      const article = await this.article(ref);
      return { label: article ? (language === "zh" ? article.zh_title : article.en_title) : ref, url: ref };
    }
    if (kind === "book") {
      const book = await this.store.book(ref);
      return { label: book ? (language === "zh" ? book.title : book.en_title) + (book.author ? `, ${book.author}` : "") : ref };
    }
    const topic = (await this.topics()).find((x) => x.id === ref);
    return { label: strings(language).roadmapSource(topic ? this.topicName(topic, language) : ref) };
  }
}
