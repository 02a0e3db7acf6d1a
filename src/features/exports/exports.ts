import type { QuestionView } from "../../core/catalog.ts";
import type { Language } from "../../core/i18n.ts";
import { addDays, localDateOf, startOfWeek } from "../../core/local-time.ts";
import { type Block, message, type OutFile, privateReply, type Reply } from "../../core/message.ts";
import { choiceLabel } from "../../core/question.ts";
import type { Scope } from "../../core/scope.ts";
import { topicAccuracy } from "../../store/progress.repository.ts";
import type { Kernel } from "../kernel.ts";
import { personalStreak } from "../standings/streaks.ts";
import * as exportData from "./exports.repository.ts";
import { type AnkiNote, ankiHtml, ankiLink, ankiNotesFile, spreadsheetCsv } from "./files.ts";
import { type ExportStrings, exportStrings } from "./strings.ts";

/** The member's history: one row per answer and per article read (kind says which), oldest first; a read's source is its article. */
export const historyColumns = [
  "kind",
  "date",
  "time_utc",
  "round_id",
  "question_id",
  "topic_id",
  "topic",
  "prompt",
  "your_answer",
  "right_answer",
  "correct",
  "points",
  "source",
  "source_url",
] as const;

/** The team's weeks: one row per member and week they scored or studied in (weeks start on Monday). */
export const weekColumns = [
  "member",
  "user_id",
  "week_start",
  "answers",
  "correct",
  "accuracy_percent",
  "points",
  "streak_at_week_end",
  "active_days",
] as const;

export const topicColumns = ["topic_id", "topic", "answers", "correct", "accuracy_percent"] as const;

/** /study export: a member's own data, and the team's for admins, as files sent to the asker alone. */
export class Exports {
  constructor(private readonly k: Kernel) {}

  /** The member's history as CSV and the questions they missed as an Anki file. */
  async member(scope: Scope): Promise<Reply> {
    const s = exportStrings(scope.settings.language);
    const { db } = this.k;
    const [answers, reads] = await Promise.all([
      exportData.memberAnswers(db, scope.workspaceId, scope.memberId),
      exportData.memberReads(db, scope.workspaceId, scope.memberId),
    ]);
    if (answers.length === 0 && reads.length === 0) return privateReply([{ type: "text", text: s.nothingYet }]);
    const language = scope.settings.language;
    const views = await this.questionViews(
      answers.map((a) => a.question_id),
      language,
    );
    const answerRows = answers.map((a) => {
      const q = views.get(a.question_id) as QuestionView;
      const row = [
        "answer",
        a.local_date,
        a.answered_at,
        a.round_id,
        a.question_id,
        a.topic_id,
        q.topicName,
        q.text.prompt,
        choiceLabel(q, a.choice),
        choiceLabel(q, q.answer),
        a.correct,
        a.points,
        q.source.label,
        q.source.url ?? "",
      ];
      return { at: a.answered_at, row };
    });
    const readRows = await Promise.all(
      reads.map(async (r) => {
        const article = r.article_url ? await this.k.catalog.article(r.article_url) : undefined;
        const title = article ? (language === "zh" ? article.zh_title : article.en_title) : "";
        const row = ["read", r.local_date, r.read_at, "", "", "", "", "", "", "", "", r.points, title, r.article_url ?? ""];
        return { at: r.read_at, row };
      }),
    );
    const history = [...answerRows, ...readRows].sort((a, b) => a.at.localeCompare(b.at)).map((r) => r.row);

    const missed = new Map<string, AnkiNote>();
    for (const a of answers) {
      if (a.correct === 1 || missed.has(a.question_id)) continue;
      missed.set(a.question_id, this.ankiNote(scope, s, views.get(a.question_id) as QuestionView, a.topic_id));
    }

    const today = localDateOf(this.k.clock.now(), scope.settings.timezone);
    const historyFile = { name: `study-history-${today}.csv`, content: spreadsheetCsv(historyColumns, history) };
    const ankiFile = { name: `study-missed-${today}.txt`, content: ankiNotesFile([...missed.values()]) };
    const files = missed.size > 0 ? [historyFile, ankiFile] : [historyFile];
    const lines = [
      s.historyFile(historyFile.name, answers.length, reads.length),
      missed.size > 0 ? s.missedFile(ankiFile.name, missed.size) : s.nothingMissed,
    ];
    const blocks: Block[] = [
      { type: "header", text: s.memberTitle },
      { type: "text", text: lines.join("\n") },
      ...(missed.size > 0 ? [{ type: "context" as const, text: s.ankiSteps }] : []),
    ];
    return this.withFiles(scope, s, blocks, files);
  }

  /** The team's weeks per member and its accuracy per topic, every member named (admins only reach this). */
  async team(scope: Scope): Promise<Reply> {
    const s = exportStrings(scope.settings.language);
    const { db } = this.k;
    const [members, scores, activity, tally, topics] = await Promise.all([
      exportData.workspaceMembers(db, scope.workspaceId),
      exportData.weeklyScores(db, scope.workspaceId),
      exportData.activityDays(db, scope.workspaceId),
      topicAccuracy(db, scope.workspaceId),
      this.k.catalog.topicsFor(scope.workspaceId, "both"),
    ]);
    if (members.length === 0) return privateReply([{ type: "text", text: s.nobodyYet }]);
    const today = localDateOf(this.k.clock.now(), scope.settings.timezone);

    const datesOf = groupBy(activity, (a) => a.member_id);
    const scoresOf = groupBy(scores, (w) => w.member_id);
    const weekRows: Array<Array<string | number>> = [];
    for (const member of members) {
      const dates = new Set((datesOf.get(member.id) ?? []).map((a) => a.local_date));
      const scored = new Map((scoresOf.get(member.id) ?? []).map((w) => [w.starts_on, w]));
      const weeks = [...new Set([...scored.keys(), ...[...dates].map(startOfWeek)])].sort();
      for (const week of weeks) {
        const score = scored.get(week);
        const weekEnd = addDays(week, 6);
        const activeDays = [...dates].filter((d) => d >= week && d <= weekEnd).length;
        // This week's streak is today's; a past week's, its Sunday's.
        const streak = personalStreak(dates, scope.settings.studyDays, week === startOfWeek(today) ? today : weekEnd).current;
        const answered = score?.answered ?? 0;
        const correct = score?.correct ?? 0;
        weekRows.push([
          member.display_name,
          member.external_id,
          week,
          answered,
          correct,
          percent(correct, answered),
          score?.points ?? 0,
          streak,
          activeDays,
        ]);
      }
    }

    const names = new Map(topics.map((topic) => [topic.id, this.k.catalog.topicName(topic, scope.settings.language)]));
    const topicRows = [...tally.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, t]) => [id, names.get(id) ?? id, t.answered, t.correct, percent(t.correct, t.answered)]);

    const weeksFile = { name: `team-weeks-${today}.csv`, content: spreadsheetCsv(weekColumns, weekRows) };
    const topicsFile = { name: `team-topics-${today}.csv`, content: spreadsheetCsv(topicColumns, topicRows) };
    const blocks: Block[] = [
      { type: "header", text: s.teamTitle },
      {
        type: "text",
        text: `${s.weeksFile(weeksFile.name, members.length, weekRows.length)}\n${s.topicsFile(topicsFile.name, topicRows.length)}`,
      },
      { type: "context", text: `${s.hiddenIncluded} ${s.spreadsheets}` },
    ];
    return this.withFiles(scope, s, blocks, [weeksFile, topicsFile]);
  }

  private withFiles(scope: Scope, s: ExportStrings, blocks: Block[], files: OutFile[]): Reply {
    const delivered = s.delivered(scope.address.platform);
    const all: Block[] = delivered ? [...blocks, { type: "context", text: delivered }] : blocks;
    return { visibility: "private", message: { ...message(all), files } };
  }

  /** Each question once, in the workspace's language. */
  private async questionViews(ids: string[], language: Language): Promise<Map<string, QuestionView>> {
    const views = new Map<string, QuestionView>();
    for (const id of new Set(ids)) views.set(id, await this.k.catalog.questionView(id, language));
    return views;
  }

  /** Front: the prompt and the choices; back: the answer, the explanation and the source (linked when it has a URL). */
  private ankiNote(scope: Scope, s: ExportStrings, q: QuestionView, topicId: string): AnkiNote {
    const front = [ankiHtml(q.text.prompt), q.text.choices.map((_, i) => ankiHtml(choiceLabel(q, i))).join("<br>")].join("<br><br>");
    const source = q.source.url ? ankiLink(q.source.label, q.source.url) : ankiHtml(q.source.label);
    const back = [
      `${ankiHtml(s.answer)}: ${ankiHtml(choiceLabel(q, q.answer))}`,
      ankiHtml(q.text.explanation),
      `${ankiHtml(scope.t.source)}: ${source}`,
    ].join("<br><br>");
    return { front, back, tags: [topicId] };
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Percent right, rounded; empty before any answer. */
function percent(correct: number, answered: number): number | string {
  return answered > 0 ? Math.round((100 * correct) / answered) : "";
}
