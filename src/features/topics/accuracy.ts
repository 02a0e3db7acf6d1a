import type { TopicNode } from "../../core/topic-tree.ts";
import { depthOf, isWithin } from "../../core/topic-tree.ts";

export type TopicTally = ReadonlyMap<string, { answered: number; correct: number }>;

/** The fewest answers a topic needs before it can be called weak: one miss is not a pattern. */
export const weakTopicMinAnswers = 2;

/** Accuracy (0 to 1, undefined before any answer) of each roadmap branch, summed over the topics below it, in tree order. */
export function branchAccuracy(topics: readonly TopicNode[], tally: TopicTally): Array<{ topic: TopicNode; share: number | undefined }> {
  return topics
    .filter((x) => depthOf(x.id) === 0)
    .map((branch) => {
      let answered = 0;
      let correct = 0;
      for (const x of topics)
        if (isWithin(x.id, branch.id)) {
          answered += tally.get(x.id)?.answered ?? 0;
          correct += tally.get(x.id)?.correct ?? 0;
        }
      return { topic: branch, share: answered > 0 ? correct / answered : undefined };
    });
}

/** The `n` topic ids with the lowest accuracy among those answered at least twice, weakest first. */
export function weakestTopics(tally: TopicTally, n: number): string[] {
  return [...tally.entries()]
    .filter(([, s]) => s.answered >= weakTopicMinAnswers)
    .sort(([, a], [, b]) => a.correct / a.answered - b.correct / b.answered)
    .slice(0, n)
    .map(([id]) => id);
}
