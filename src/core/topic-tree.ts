export interface TopicNode {
  id: string;
  parentId: string | null;
  zh: string;
  en: string;
}

/** Where a workspace's own topics (from its question packs) hang in its tree. */
export const teamTopicRoot: TopicNode = { id: "team", parentId: null, zh: "团队题目", en: "Team" };

export type TopicMatch = { kind: "one"; topic: TopicNode } | { kind: "none" } | { kind: "many"; topics: TopicNode[] };

/** Is `id` the topic itself or below it? */
export function isWithin(id: string, ancestor: string): boolean {
  return id === ancestor || id.startsWith(`${ancestor}.`);
}

/**
 * Finds the topic a member meant: the argument is a prefix of a topic's id, of one of its id's segments,
 * or of its Chinese or English name (case-insensitive). Matches below another match fold into it.
 */
export function matchTopic(topics: readonly TopicNode[], argument: string): TopicMatch {
  const wanted = argument.trim().toLowerCase();
  const exact = topics.find((t) => t.id === wanted);
  if (exact) return { kind: "one", topic: exact };
  const matches = topics.filter(
    (t) =>
      t.id.startsWith(wanted) ||
      t.id.split(".").some((segment) => segment.startsWith(wanted)) ||
      t.en.toLowerCase().startsWith(wanted) ||
      t.zh.toLowerCase().startsWith(wanted),
  );
  const outermost = matches.filter((t) => !matches.some((other) => other !== t && isWithin(t.id, other.id)));
  if (outermost.length === 0) return { kind: "none" };
  if (outermost.length === 1) return { kind: "one", topic: outermost[0] as TopicNode };
  return { kind: "many", topics: outermost };
}

export function depthOf(id: string): number {
  return id.split(".").length - 1;
}
