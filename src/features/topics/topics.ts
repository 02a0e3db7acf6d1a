import type { QuestionSource } from "../../core/catalog.ts";
import { UsageError } from "../../core/commands.ts";
import type { Language } from "../../core/i18n.ts";
import { privateReply, type Reply } from "../../core/message.ts";
import type { Scope } from "../../core/scope.ts";
import { depthOf, isWithin, matchTopic, type TopicNode } from "../../core/topic-tree.ts";
import { questionCountsByTopic } from "../../store/content.repository.ts";
import * as progress from "../../store/progress.repository.ts";
import type { Kernel } from "../kernel.ts";

/** The roadmap tree with question counts and the team's accuracy, and topic suggestions for platforms that autocomplete. */
export class Topics {
  constructor(private readonly k: Kernel) {}

  async tree(scope: Scope, topicArgument: string | undefined, usage: string): Promise<Reply> {
    const { t, settings } = scope;
    const { catalog, db } = this.k;
    const topics = await catalog.topicsFor(scope.workspaceId, settings.questionSource);
    let root: TopicNode | undefined;
    if (topicArgument !== undefined) {
      const match = matchTopic(topics, topicArgument);
      if (match.kind === "none") throw new UsageError(t.unknownTopic(topicArgument), usage);
      if (match.kind === "many") throw new UsageError(t.ambiguousTopic(topicArgument, match.topics.map((x) => x.id).join(", ")), usage);
      root = match.topic;
    }
    const counts = await questionCountsByTopic(db, scope.workspaceId);
    const accuracy = await progress.topicAccuracy(db, scope.workspaceId);
    const within = (id: string) => topics.filter((x) => isWithin(x.id, id));
    const shown = root ? within(root.id).filter((x) => depthOf(x.id) <= depthOf(root.id) + 2) : topics.filter((x) => depthOf(x.id) <= 1);
    const lines = shown.map((topic) => {
      const subtree = within(topic.id);
      const questions = subtree.reduce((sum, x) => sum + (counts.get(x.id) ?? 0), 0);
      const stats = subtree.reduce(
        (acc, x) => {
          const s = accuracy.get(x.id);
          return s ? { answered: acc.answered + s.answered, correct: acc.correct + s.correct } : acc;
        },
        { answered: 0, correct: 0 },
      );
      const pct = stats.answered > 0 ? `${Math.round((100 * stats.correct) / stats.answered)}%` : "-";
      const indent = "  ".repeat(depthOf(topic.id) - (root ? depthOf(root.id) : 0));
      return `${indent}${topic.id}  ${catalog.topicName(topic, settings.language)}  (${questions}, ${pct})`;
    });
    return privateReply([
      { type: "header", text: t.topicsTitle },
      { type: "code", text: lines.join("\n") },
      { type: "context", text: t.topicsHint },
    ]);
  }

  /** Topics whose id or name starts with (or contains) `query`, best first, at most 25 (Discord's limit for choices). */
  async suggest(
    query: string,
    language: Language,
    workspaceId: string,
    source: QuestionSource,
  ): Promise<Array<{ id: string; name: string }>> {
    const wanted = query.trim().toLowerCase();
    const topics = await this.k.catalog.topicsFor(workspaceId, source);
    const score = (t: TopicNode) => {
      const texts = [t.id, t.en.toLowerCase(), t.zh.toLowerCase()];
      if (texts.some((x) => x.startsWith(wanted)) || t.id.split(".").some((segment) => segment.startsWith(wanted))) return 0;
      return texts.some((x) => x.includes(wanted)) ? 1 : 2;
    };
    return topics
      .map((topic) => ({ topic, rank: score(topic) }))
      .filter((x) => x.rank < 2)
      .sort((a, b) => a.rank - b.rank || depthOf(a.topic.id) - depthOf(b.topic.id))
      .slice(0, 25)
      .map(({ topic }) => ({ id: topic.id, name: `${this.k.catalog.topicName(topic, language)} (${topic.id})` }));
  }
}
