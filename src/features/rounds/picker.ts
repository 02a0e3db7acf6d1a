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
