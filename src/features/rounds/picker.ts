import { timedCache } from "../../core/cache.ts";
import type { Candidate as CatalogCandidate } from "../../core/catalog.ts";
import type { Settings } from "../../core/scope.ts";
import * as progress from "../../store/progress.repository.ts";
import type { Kernel } from "../kernel.ts";
import { reportedQuestions } from "../reports/reports.repository.ts";
import * as rounds from "./rounds.repository.ts";

const recentQuestionDays = 30;
/** The team's statistics per workspace: summing a workspace's answers for every channel of a fan-out was its cost. */
const statsLifetimeMs = 5 * 60_000;
const statsCacheSize = 10_000;

export interface Candidate {
  id: string;
  topicId: string;
}

type Stats = ReadonlyMap<string, { answered: number; correct: number }>;

/** A topic's weight from the team's accuracy there: weak topics come up more, unseen ones in between. */
function topicWeight(stats: { answered: number; correct: number } | undefined): number {
  if (!stats || stats.answered === 0) return 2;
  return 1 + 2 * (1 - stats.correct / stats.answered);
}

/** A reported question comes up a fifth as often until an admin resolves the report. */
export const reportedFactor = 0.2;

/** A candidate's weight: its topic's, raised for a question the team often misses, lowered while it is reported. */
export function candidateWeight(candidate: Candidate, stats: { topics: Stats; questions: Stats; reported: ReadonlySet<string> }): number {
  const question = stats.questions.get(candidate.id);
  const missed = question && question.answered > 0 ? 1 - question.correct / question.answered : 0;
  return topicWeight(stats.topics.get(candidate.topicId)) * (1 + missed) * (stats.reported.has(candidate.id) ? reportedFactor : 1);
}

/** Picks one candidate at random by weight; `random` returns [0, 1). */
export function pickWeighted<T extends Candidate>(
  candidates: readonly T[],
  stats: { topics: Stats; questions: Stats; reported: ReadonlySet<string> },
  random: () => number,
): T | undefined {
  if (candidates.length === 0) return undefined;
  const weights = candidates.map((c) => candidateWeight(c, stats));
  let target = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, candidate] of candidates.entries()) {
    target -= weights[i] as number;
    if (target < 0) return candidate;
  }
  return candidates.at(-1);
}

/** Picks each round's question: fresh in the channel, weighted toward what the team answers worst. */
export class QuestionPicker {
  private readonly statsCache;

  constructor(private readonly k: Kernel) {
    this.statsCache = timedCache<string, PickerStats>(k.clock, { max: statsCacheSize, ttlMs: statsLifetimeMs });
  }

  /**
   * Picks a question not asked in this channel in the last 30 days (any, if all were), weighted toward
   * topics the team answers worst; a question written about `articleUrl` comes first when there is one.
   */
  async pick(
    { workspaceId, channelId, settings }: { workspaceId: string; channelId: string; settings: Settings },
    topicIds: string[] | undefined,
    articleUrl: string | undefined,
  ) {
    const since = new Date(this.k.clock.now().getTime() - recentQuestionDays * 86_400_000);
    const recent = await rounds.questionsAskedSince(this.k.db, channelId, since);
    const all = await this.k.catalog.candidatesFor(workspaceId, settings.questionSource);
    const index = candidateIndex(all);
    const inTopics = () => (topicIds && topicIds.length > 0 ? index.inTopics(topicIds) : topicIds ? [] : all);
    const fresh = (list: CatalogCandidate[]) => list.filter((q) => !recent.has(q.id));
    // In order of preference, each built only when the ones before it are empty.
    const pools = [
      ...(articleUrl ? [() => fresh(index.aboutArticle(articleUrl))] : []),
      () => fresh(inTopics()),
      ...(articleUrl ? [() => fresh(all)] : []),
      inTopics,
    ];
    let pool: CatalogCandidate[] = [];
    for (const build of pools) {
      pool = build();
      if (pool.length > 0) break;
    }
    if (pool.length === 0) return undefined;
    return pickWeighted(
      pool.map((q) => ({ id: q.id, topicId: q.topic_id })),
      await this.stats(workspaceId),
      this.k.random,
    )?.id;
  }

  /** Drops a workspace's picker statistics after a report changed them. */
  forgetStats(workspaceId: string): void {
    this.statsCache.delete(workspaceId);
  }

  /** The team's accuracy and reports that weight the picker, kept for statsLifetimeMs. */
  private async stats(workspaceId: string): Promise<PickerStats> {
    const cached = this.statsCache.get(workspaceId);
    if (cached) return cached;
    const [topics, questions, reported] = await Promise.all([
      progress.topicAccuracy(this.k.db, workspaceId),
      progress.questionAccuracy(this.k.db, workspaceId),
      reportedQuestions(this.k.db, workspaceId),
    ]);
    const stats = { topics, questions, reported };
    this.statsCache.set(workspaceId, stats);
    return stats;
  }
}

type PickerStats = Parameters<typeof pickWeighted>[1];

/** Candidate questions about an article or in a set of topics, kept per content load: a fan-out asks for the same few for every channel. */
const candidateIndexes = new WeakMap<
  CatalogCandidate[],
  { aboutArticle(url: string): CatalogCandidate[]; inTopics(topicIds: string[]): CatalogCandidate[] }
>();

function candidateIndex(all: CatalogCandidate[]) {
  let index = candidateIndexes.get(all);
  if (!index) {
    const byArticle = new Map<string | null, CatalogCandidate[]>();
    for (const q of all) {
      if (q.source_kind !== "article") continue;
      const list = byArticle.get(q.source_ref);
      if (list) list.push(q);
      else byArticle.set(q.source_ref, [q]);
    }
    const byTopics = new Map<string, CatalogCandidate[]>();
    index = {
      aboutArticle: (url) => byArticle.get(url) ?? [],
      inTopics: (topicIds) => {
        const key = topicIds.join("\n");
        let list = byTopics.get(key);
        if (!list) {
          const wanted = new Set(topicIds);
          list = all.filter((q) => wanted.has(q.topic_id));
          byTopics.set(key, list);
        }
        return list;
      },
    };
    candidateIndexes.set(all, index);
  }
  return index;
}
