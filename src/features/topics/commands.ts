import { command } from "../services.ts";

const topicsUsage = "/study topics [topic]";

export const topicCommands = [
  command({
    path: ["topics"],
    usage: topicsUsage,
    help: { en: "the roadmap tree with question counts and the team's accuracy", zh: "路线图主题树，含题目数量和团队正确率" },
    access: "anyone",
    description: "The roadmap tree with question counts and the team's accuracy",
    options: [{ name: "topic", description: "Expand one branch", kind: "topic" }],
    parse: (words) => (words.length > 0 ? words.join(" ") : undefined),
    run: async ({ topics }, scope, topic) => [await topics.tree(scope, topic, topicsUsage)],
  }),
];
