import type { Language } from "../../core/i18n.ts";

/** What /study privacy says, and the name a hidden member has on public surfaces, in the workspace's language. */
const en = {
  aMember: "a member",
  title: "Your privacy",
  shownNow: "You are shown by name on the leaderboards, round results, recaps and season standings.",
  hiddenNow:
    'You are hidden: leaderboards, round results, recaps, season standings and the dashboard\'s team page show you as "a member". You still count for the team streak and squads, and /study streak, /study me and your dashboard show your own numbers.',
  howToHide: "/study privacy hide: show me as “a member” on every public post.",
  howToShow: "/study privacy show: show my name again.",
  adminsSee: "Admins can see who is hidden.",
  nowHidden: 'Done: from now on, public posts show you as "a member". Posts already sent keep what they said.',
  nowShown: "Done: public posts show your name again.",
  alreadyHidden: "You are already hidden: nothing changed.",
  alreadyShown: "You are already shown by name: nothing changed.",
  badChoice: (typed: string) => `"${typed}" is not a privacy setting: use hide or show (or nothing, to see yours).`,
  hiddenMembers: (names: string[]) =>
    names.length === 0 ? "Hidden members (admins see this): none." : `Hidden members (admins see this): ${names.join(", ")}.`,
  numbersPrivate: (name: string) => `${name} keeps their numbers to themselves (/study privacy hide).`,
  roleWithheld: (season: string) => `not given for ${season}: the champion is hidden (/study privacy hide)`,
};

export type PrivacyStrings = typeof en;

const zh: PrivacyStrings = {
  aMember: "一位成员",
  title: "你的隐私设置",
  shownNow: "你在排行榜、答题结果、周报和赛季排名上显示真实名字。",
  hiddenNow:
    "你已隐藏：排行榜、答题结果、周报、赛季排名和仪表盘的团队页面把你显示为“一位成员”。你仍计入团队连续天数和小队，/study streak、/study me 和你的仪表盘仍显示你自己的数据。",
  howToHide: "/study privacy hide：在所有公开消息中把我显示为“一位成员”。",
  howToShow: "/study privacy show：重新显示我的名字。",
  adminsSee: "管理员可以看到谁隐藏了名字。",
  nowHidden: "已设置：今后公开消息把你显示为“一位成员”。已发出的消息保持原样。",
  nowShown: "已设置：公开消息重新显示你的名字。",
  alreadyHidden: "你已经是隐藏状态：没有改动。",
  alreadyShown: "你已经显示真实名字：没有改动。",
  badChoice: (typed) => `“${typed}”不是隐私设置：请用 hide 或 show（不带参数则查看你的设置）。`,
  hiddenMembers: (names) =>
    names.length === 0 ? "隐藏名字的成员（仅管理员可见）：无。" : `隐藏名字的成员（仅管理员可见）：${names.join("、")}。`,
  numbersPrivate: (name) => `${name} 不公开自己的数据（/study privacy hide）。`,
  roleWithheld: (season) => `${season} 赛季未授予：冠军已隐藏名字（/study privacy hide）`,
};

export function privacyStrings(language: Language): PrivacyStrings {
  return language === "zh" ? zh : en;
}
