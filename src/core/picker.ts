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

/**
 * The next article in a channel's rotation: among those it has not had this cycle, the one with the
 * smallest rank, a hash of (channel, cycle, url). The order is fixed per channel and cycle, survives restarts,
 * and articles added to the catalog simply join the current cycle.
 */
export function nextArticle(urls: readonly string[], used: ReadonlySet<string>, channelId: string, cycle: number) {
  const hashes = urlHashes(urls);
  let chosenCycle = cycle;
  if (urls.every((url) => used.has(url))) chosenCycle = cycle + 1;
  const seed = fnv1a(`${channelId}\n${chosenCycle}`);
  let best: { url: string; rank: number } | undefined;
  for (const [i, url] of urls.entries()) {
    if (chosenCycle === cycle && used.has(url)) continue;
    const rank = fmix32((hashes[i] as number) ^ seed);
    if (!best || rank < best.rank) best = { url, rank };
  }
  return best && { url: best.url, cycle: chosenCycle };
}

/** Each URL's hash, kept as long as its list: a fan-out ranks the same few hundred URLs for every channel. */
const urlHashCache = new WeakMap<readonly string[], Uint32Array>();

function urlHashes(urls: readonly string[]): Uint32Array {
  let hashes = urlHashCache.get(urls);
  if (!hashes) {
    hashes = Uint32Array.from(urls, (url) => fnv1a(url));
    urlHashCache.set(urls, hashes);
  }
  return hashes;
}

/** 32-bit FNV-1a: stable across processes and releases; a SHA-1 per article cost a fan-out ~0.4 ms a channel. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** MurmurHash3's finalizer: every bit of the result depends on every bit of the input, so each seed orders the URLs anew. */
function fmix32(h: number): number {
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
