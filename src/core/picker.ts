import { createHash } from "node:crypto";

export interface Candidate {
  id: string;
  topicId: string;
}

/** A topic's weight from the team's accuracy there: weak topics come up more, unseen ones in between. */
export function topicWeight(stats: { answered: number; correct: number } | undefined): number {
  if (!stats || stats.answered === 0) return 2;
  return 1 + 2 * (1 - stats.correct / stats.answered);
}

/** Picks one candidate at random, weighted by its topic's weight; `random` returns [0, 1). */
export function pickWeighted<T extends Candidate>(
  candidates: readonly T[],
  accuracy: ReadonlyMap<string, { answered: number; correct: number }>,
  random: () => number,
): T | undefined {
  if (candidates.length === 0) return undefined;
  const weights = candidates.map((c) => topicWeight(accuracy.get(c.topicId)));
  let target = random() * weights.reduce((a, b) => a + b, 0);
  for (const [i, candidate] of candidates.entries()) {
    target -= weights[i] as number;
    if (target < 0) return candidate;
  }
  return candidates.at(-1);
}

/**
 * The next article in a channel's rotation: among those it has not had this cycle, the one with the
 * smallest hash of (channel, cycle, url). The order is fixed per channel and cycle, survives restarts,
 * and articles added to the catalog simply join the current cycle.
 */
export function nextArticle(urls: readonly string[], used: ReadonlySet<string>, channelId: string, cycle: number) {
  const rank = (c: number, url: string) => createHash("sha1").update(`${channelId}\n${c}\n${url}`).digest("hex");
  let remaining = urls.filter((url) => !used.has(url));
  let chosenCycle = cycle;
  if (remaining.length === 0) {
    remaining = [...urls];
    chosenCycle = cycle + 1;
  }
  let best: { url: string; rank: string } | undefined;
  for (const url of remaining) {
    const r = rank(chosenCycle, url);
    if (!best || r < best.rank) best = { url, rank: r };
  }
  return best && { url: best.url, cycle: chosenCycle };
}
