import { timedCache } from "./cache.ts";
import type { Clock } from "./clock.ts";
import { type Language, strings } from "./i18n.ts";
import { type TopicNode, teamTopicRoot } from "./topic-tree.ts";

/** Content is re-read after this time, so a `study-bot seed` run by another process shows. */
const contentLifetimeMs = 60_000;
const questionViewCacheSize = 20_000;
const teamCacheSize = 10_000;

/** What a workspace's quizzes draw from: the built-in bank, its own packs, or both. */
export type QuestionSource = "builtin" | "team" | "both";
export const questionSources: readonly QuestionSource[] = ["builtin", "team", "both"];

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
  /** The bank's active questions: id, topic and source are enough to pick from. */
  candidates(): Promise<Candidate[]>;
  /** The workspaces that have an enabled pack. */
  workspacesWithPacks(): Promise<string[]>;
  /** A workspace's active questions from its enabled packs. */
  teamCandidates(workspaceId: string): Promise<Candidate[]>;
  /** The topics of a workspace's enabled packs. */
  teamTopics(workspaceId: string): Promise<Array<{ id: string; name: string }>>;
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

type Loads = { topics: TopicNode[]; candidates: Candidate[]; articles: Articles; packWorkspaces: Set<string> };
type TeamContent = { candidates: Candidate[]; topics: TopicNode[]; both?: { builtin: Candidate[]; all: Candidate[] } };
const noTeamContent: TeamContent = Object.freeze({ candidates: [], topics: [] });

/** The imported content as the domain reads it, kept for contentLifetimeMs by the injected clock. */
export class Catalog {
  // Promises, so that the many channels of a fan-out asking at once share one query.
  private readonly loads;
  private readonly questionViews;
  private readonly teams;

  constructor(
    private readonly store: ContentStore,
    clock: Clock,
  ) {
    this.loads = timedCache<keyof Loads, Promise<Loads[keyof Loads]>>(clock, { max: 4, ttlMs: contentLifetimeMs });
    this.questionViews = timedCache<string, QuestionView>(clock, { max: questionViewCacheSize, ttlMs: contentLifetimeMs });
    this.teams = timedCache<string, Promise<TeamContent>>(clock, { max: teamCacheSize, ttlMs: contentLifetimeMs });
  }

  /** The questions a workspace's quizzes draw from. */
  async candidatesFor(workspaceId: string, source: QuestionSource): Promise<Candidate[]> {
    if (source === "builtin") return this.candidates();
    const team = await this.team(workspaceId);
    if (source === "team") return team.candidates;
    if (team.candidates.length === 0) return this.candidates();
    const builtin = await this.candidates();
    // Kept while the bank's list is the same one, so the picker's index of it (keyed by the list) is reused.
    if (team.both?.builtin !== builtin) team.both = { builtin, all: [...builtin, ...team.candidates] };
    return team.both.all;
  }

  /** A workspace's topic tree: the roadmap's, and its packs' under the Team branch. */
  async topicsFor(workspaceId: string, source: QuestionSource): Promise<TopicNode[]> {
    const builtin = source === "team" ? [] : await this.topics();
    const team = source === "builtin" ? [] : (await this.team(workspaceId)).topics;
    return team.length === 0 ? builtin : [...builtin, ...team];
  }

  /** Drops a workspace's team content after this process changed its packs. */
  forgetTeam(workspaceId: string): void {
    this.teams.delete(workspaceId);
    this.loads.delete("packWorkspaces");
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

  private async team(workspaceId: string): Promise<TeamContent> {
    // Most workspaces have no pack: one shared query tells, instead of two for each workspace of a fan-out.
    const withPacks = await this.shared("packWorkspaces", async () => new Set(await this.store.workspacesWithPacks()));
    if (!withPacks.has(workspaceId)) return noTeamContent;
    return sharedLoad(this.teams, workspaceId, async () => {
      const [candidates, topics] = await Promise.all([this.store.teamCandidates(workspaceId), this.store.teamTopics(workspaceId)]);
      const nodes = topics.map(({ id, name }) => ({ id, parentId: teamTopicRoot.id, zh: name, en: name }));
      return { candidates, topics: nodes.length > 0 ? [teamTopicRoot, ...nodes] : [] };
    });
  }

  private shared<K extends keyof Loads>(key: K, load: () => Promise<Loads[K]>): Promise<Loads[K]> {
    return sharedLoad(this.loads, key, load) as Promise<Loads[K]>;
  }

  private async loadQuestionView(questionId: string, language: Language): Promise<QuestionView> {
    const row = await this.store.question(questionId);
    if (!row) throw new Error(`question ${questionId} is missing`);
    const body = JSON.parse(row.body);
    if (row.source_kind === "pack") {
      // A pack in one language is shown in it whatever the workspace's language.
      return {
        id: row.id,
        difficulty: row.difficulty,
        answer: row.answer,
        text: body[language] ?? body.en ?? body.zh,
        topicName: body.topic,
        source: { label: body.pack, ...(row.source_ref && { url: row.source_ref }) },
      };
    }
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

/** One load shared by every caller until the cache drops it; a failed load is forgotten, not kept. */
function sharedLoad<K, V>(
  cache: { get(key: K): Promise<V> | undefined; set(key: K, value: Promise<V>): unknown; delete(key: K): unknown },
  key: K,
  load: () => Promise<V>,
): Promise<V> {
  const existing = cache.get(key);
  if (existing) return existing;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => {
    if (cache.get(key) === loading) cache.delete(key);
  });
  return loading;
}
