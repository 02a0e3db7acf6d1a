import type { Language } from "../../core/i18n.ts";
import type { Platform } from "../../core/ports.ts";

/** What /study export says, and the words inside the exported files, in the workspace's language. */
const en = {
  memberTitle: "Your study export",
  nothingYet: "You have no answers or article reads here yet: there is nothing to export.",
  historyFile: (name: string, answers: number, reads: number) =>
    `${name}: your whole history, one row per answer (${answers}) and per article read (${reads}).`,
  missedFile: (name: string, missed: number) => `${name}: the ${missed} question${missed === 1 ? "" : "s"} you missed, as Anki cards.`,
  nothingMissed: "You have missed no question yet: no Anki file this time.",
  ankiSteps:
    "Anki: File > Import, choose the .txt file. Its first lines set the tab separator, HTML and the tags column: pick the deck and press Import.",
  teamTitle: "Team export",
  nobodyYet: "Nobody has studied here yet: there is nothing to export.",
  weeksFile: (name: string, members: number, rows: number) => `${name}: each member's week (${members} members, ${rows} rows).`,
  topicsFile: (name: string, topics: number) => `${name}: the team's accuracy in each of ${topics} topics.`,
  hiddenIncluded: "Members who hide their name (/study privacy hide) are in it by name: the file is for admins.",
  spreadsheets: "UTF-8 with a byte order mark: Excel and LibreOffice open it as it is.",
  delivered: (platform: Platform): string | undefined =>
    platform === "slack"
      ? "The files are in your direct messages with study-bot (a reply here cannot carry files)."
      : platform === "discord"
        ? "The files are attached below; only you see them."
        : undefined,
  badWhat: (typed: string) => `"${typed}" is not something to export: /study export for yours, /study export team (admin) for the team's.`,
  answer: "Answer",
};

export type ExportStrings = typeof en;

const zh: ExportStrings = {
  memberTitle: "你的学习记录导出",
  nothingYet: "你在这里还没有答题或阅读记录：没有可导出的内容。",
  historyFile: (name, answers, reads) => `${name}：你的全部记录，每次答题（${answers}）和每篇文章阅读（${reads}）各一行。`,
  missedFile: (name, missed) => `${name}：你答错的 ${missed} 道题，可导入 Anki 的卡片。`,
  nothingMissed: "你还没有答错过题：这次没有 Anki 文件。",
  ankiSteps: "Anki：文件 > 导入，选这个 .txt 文件。文件开头已写明制表符分隔、HTML 和标签列：选好牌组后点导入。",
  teamTitle: "团队数据导出",
  nobodyYet: "这里还没有人学习过：没有可导出的内容。",
  weeksFile: (name, members, rows) => `${name}：每位成员每周的数据（${members} 位成员，${rows} 行）。`,
  topicsFile: (name, topics) => `${name}：团队在 ${topics} 个主题上的正确率。`,
  hiddenIncluded: "隐藏名字的成员（/study privacy hide）也以真实名字列在其中：文件仅供管理员使用。",
  spreadsheets: "UTF-8 带字节顺序标记（BOM）：Excel 和 LibreOffice 可直接打开。",
  delivered: (platform) =>
    platform === "slack"
      ? "文件已发到你和 study-bot 的私信里（这里的回复不能带文件）。"
      : platform === "discord"
        ? "文件附在下面，只有你能看到。"
        : undefined,
  badWhat: (typed) => `“${typed}”不是可导出的内容：/study export 导出你自己的，/study export team（管理员）导出团队的。`,
  answer: "答案",
};

export function exportStrings(language: Language): ExportStrings {
  return language === "zh" ? zh : en;
}
