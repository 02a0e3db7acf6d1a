import type { Language } from "../../core/i18n.ts";

/** A season's name: the calendar month, as the language writes it ("November 2026", "2026年11月"). */
export function seasonName(season: string, language: Language): string {
  const format = new Intl.DateTimeFormat(language === "zh" ? "zh-CN" : "en-GB", { year: "numeric", month: "long", timeZone: "UTC" });
  return format.format(new Date(`${season}-01T00:00:00Z`));
}

const en = {
  title: (season: string) => `Season ${season}: final standings`,
  champion: "Champion",
  mostImproved: "Most improved",
  improvedLine: (name: string, before: number, after: number) => `${name}: accuracy ${before}% → ${after}%`,
  nobodyImproved: "- (nobody answered 5 or more questions in both this season and the one before with better accuracy)",
  longestStreak: "Longest streak",
  streakLine: (name: string, days: number) => `${name}: ${days} study day${days === 1 ? "" : "s"} in a row`,
  newSeason: "A new season starts today: /study leaderboard season",
  championRoleDiscordOnly: "champion-role is a Discord role; on Slack the champion gets a 🏆 beside their name on every board instead.",
  roleMoved: (season: string, name: string) => `moved to ${name} for ${season}`,
  roleFailed: (season: string, reason: string) => `not moved for ${season}: ${reason}`,
  rolePending: (season: string) => `moving for ${season}`,
};

export type SeasonStrings = typeof en;

const zh: SeasonStrings = {
  title: (season) => `${season}赛季：最终排名`,
  champion: "冠军",
  mostImproved: "进步最大",
  improvedLine: (name, before, after) => `${name}：正确率 ${before}% → ${after}%`,
  nobodyImproved: "-（没有人在本赛季和上赛季都答了 5 题以上且正确率提高）",
  longestStreak: "最长连续",
  streakLine: (name, days) => `${name}：连续 ${days} 个学习日`,
  newSeason: "新赛季今天开始：/study leaderboard season",
  championRoleDiscordOnly: "champion-role 是 Discord 的身份组；在 Slack 上，冠军会在每个排行榜的名字旁得到 🏆。",
  roleMoved: (season, name) => `已在 ${season} 赛季交给 ${name}`,
  roleFailed: (season, reason) => `${season} 赛季未能移交：${reason}`,
  rolePending: (season) => `${season} 赛季正在移交`,
};

export function seasonStrings(language: Language): SeasonStrings {
  return language === "zh" ? zh : en;
}
