import type { Language } from "../../core/i18n.ts";

/** What a member reads when they ask the bot to forget them, in the workspace's language. */
const en = {
  formerMember: "a former member",
  title: "Forget me: delete your study data here",
  nothingStored: "The bot stores nothing about you in this workspace: there is nothing to delete.",
  willDelete: "Pressing Delete my data removes, at once and for good:",
  rows: (c: { answers: number; reads: number; cards: number; activity: number; scores: number; squads: number; submissions: number }) =>
    [
      `• ${c.answers} quiz answers and ${c.reads} articles marked read`,
      `• ${c.cards} review cards`,
      `• ${c.activity} study days (your streak) and ${c.scores} score totals (your place on the boards)`,
      `• your squad memberships (${c.squads}) and ${c.submissions} submitted questions, with drafts`,
      "• your name, and the channel Quiz me posts in",
    ].join("\n"),
  staysReports: (n: number) => `Your ${n === 1 ? "report" : `${n} reports`} of questions stay, with the note but without your name.`,
  stays:
    "Questions of yours the team approved stay in its pack, credited to a former member. Messages already posted in channels are not edited.",
  confirm: "Delete my data",
  cancel: "Cancel",
  notYours: "Only the member who asked can confirm this: run /study forget-me to delete your own data.",
  expired: "This confirmation has expired: run /study forget-me again.",
  cancelled: "Nothing was deleted.",
  done: "Done: your study data in this workspace is deleted. If you use the bot again, it starts from nothing.",
  alreadyGone: "There was nothing left to delete.",
};

export type ForgetStrings = typeof en;

const zh: ForgetStrings = {
  formerMember: "一位前成员",
  title: "忘记我：删除你在这里的学习数据",
  nothingStored: "机器人在这个工作区没有存你的任何数据：没有可删除的内容。",
  willDelete: "按下“删除我的数据”后，以下内容会立即永久删除：",
  rows: (c) =>
    [
      `• ${c.answers} 条答题记录和 ${c.reads} 次文章已读`,
      `• ${c.cards} 张复习卡片`,
      `• ${c.activity} 个学习日（你的连续天数）和 ${c.scores} 条积分汇总（你在排行榜上的位置）`,
      `• 你的小组成员身份（${c.squads}）和 ${c.submissions} 道投稿（含草稿）`,
      "• 你的名字，以及“考考我”发帖的频道",
    ].join("\n"),
  staysReports: (n) => `你对题目的 ${n} 条报告会保留备注，但不再显示你的名字。`,
  stays: "团队已采纳的你的投稿会留在题库中，署名改为“一位前成员”。已经发到频道里的消息不会被修改。",
  confirm: "删除我的数据",
  cancel: "取消",
  notYours: "只有发起请求的成员本人才能确认：要删除你自己的数据，请运行 /study forget-me。",
  expired: "这个确认已过期：请重新运行 /study forget-me。",
  cancelled: "没有删除任何内容。",
  done: "已完成：你在这个工作区的学习数据已删除。如果你再次使用机器人，一切从零开始。",
  alreadyGone: "已经没有可删除的内容了。",
};

export const forgetStrings = (language: Language): ForgetStrings => (language === "zh" ? zh : en);

/** How reports, credits and the admin's list name a member who asked to be forgotten. */
export const formerMemberName = (language: Language): string => forgetStrings(language).formerMember;
