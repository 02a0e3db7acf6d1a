import type { Language } from "../../core/i18n.ts";

/** What a member's home (/study me, Slack's App Home) says, in the workspace's language. */
const en = {
  title: (name: string | undefined) => (name ? `${name}: your study home` : "Your study home"),
  rank: "Rank this week",
  rankOf: (rank: number, total: number) => `#${rank} of ${total}`,
  noRank: "no points yet",
  reviewsDue: (n: number) => `${n} review card${n === 1 ? "" : "s"} due today.`,
  startReview: "Start review",
  weakest: "Your weakest topics (your own answers; two at least)",
  weakLine: (name: string, id: string, correct: number, answered: number) => `${name} (${id}): ${correct} of ${answered} right`,
  noWeakest: "No weak topics yet: answer a topic's quiz twice and it shows here when you miss.",
  quizMe: (topic: string) => `Quiz me: ${topic}`,
  subscriptions: "Daily article subscriptions",
  subscriptionLine: (channel: string, time: string, status: string) => `#${channel} at ${time}: ${status}`,
  active: "active",
  noSubscriptions: "No channel gets the daily article yet: /study subscribe in one.",
  dashboard: "Open the dashboard",
  footer: (when: string) => `Rank: this week's leaderboard. Updated ${when}; it follows your answers.`,
  askChannelTitle: "Where to quiz you",
  askChannel: "Channel for the quiz",
  inLastChannel: "In the channel where you last answered a quiz.",
  inPickedChannel: "In the channel you picked; Quiz me posts there from now on.",
  notAChannel: "That is not a channel: pick one from the list.",
  cannotPost: (reason: string) => `I cannot post in that channel (${reason}): invite me there (/invite @study-bot), or pick another.`,
  pickAnother: (reason: string) => `I cannot post in your last channel (${reason}). Channel for the quiz`,
};

export type HomeStrings = typeof en;

const zh: HomeStrings = {
  title: (name) => (name ? `${name}：我的学习主页` : "我的学习主页"),
  rank: "本周排名",
  rankOf: (rank, total) => `第 ${rank} 名（共 ${total} 人）`,
  noRank: "本周还没有积分",
  reviewsDue: (n) => `今天有 ${n} 张复习卡片到期。`,
  startReview: "开始复习",
  weakest: "你最薄弱的主题（按你自己的作答，至少两次）",
  weakLine: (name, id, correct, answered) => `${name}（${id}）：${answered} 次答对 ${correct} 次`,
  noWeakest: "还没有薄弱主题：同一主题答过两次且有答错，就会显示在这里。",
  quizMe: (topic) => `考考我：${topic}`,
  subscriptions: "每日文章订阅",
  subscriptionLine: (channel, time, status) => `#${channel} ${time}：${status}`,
  active: "正常",
  noSubscriptions: "还没有频道订阅每日文章：在频道里用 /study subscribe。",
  dashboard: "打开看板",
  footer: (when) => `排名：本周排行榜。更新于 ${when}；你作答后会自动刷新。`,
  askChannelTitle: "在哪里出题",
  askChannel: "出题的频道",
  inLastChannel: "在你最近一次答题的频道。",
  inPickedChannel: "在你选的频道；以后“考考我”都发到那里。",
  notAChannel: "这不是一个频道：请从列表里选。",
  cannotPost: (reason) => `我无法在那个频道发消息（${reason}）：先邀请我进去（/invite @study-bot），或换个频道。`,
  pickAnother: (reason) => `我无法在你最近的频道发消息（${reason}）。出题的频道`,
};

export function homeStrings(language: Language): HomeStrings {
  return language === "zh" ? zh : en;
}
