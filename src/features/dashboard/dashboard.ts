import type { Heatmap } from "../../charts/charts.ts";
import * as time from "../../core/local-time.ts";
import { choiceLabel } from "../../core/question.ts";
import type { Settings } from "../../core/scope.ts";
import * as progress from "../../store/progress.repository.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import type { Admin } from "../admin/admin.ts";
import type { Kernel } from "../kernel.ts";
import { listPacks } from "../packs/packs.repository.ts";
import type { Privacy } from "../privacy/privacy.ts";
import { openReports } from "../reports/reports.repository.ts";
import type { Reports } from "../reports/reports.ts";
import { dueCards } from "../review/cards.repository.ts";
import type { LeaderboardWindow, Standings } from "../standings/standings.ts";
import { branchAccuracy, weakestTopics } from "../topics/accuracy.ts";
import { missedQuestions, recentRounds, subscriptionsOf } from "./dashboard.repository.ts";
import type { DashboardGrant } from "./links.ts";

/** Weeks of study days a heatmap shows, as in the weekly recap. */
export const heatmapWeeks = 12;
const shownRounds = 10;
const shownMissed = 20;
const shownWeakest = 5;

const share = (s: { answered: number; correct: number } | undefined) => (s && s.answered > 0 ? s.correct / s.answered : undefined);

/** What the dashboard's pages show, read through the same code as the chat commands so that the numbers agree. */
export class DashboardData {
  constructor(
    private readonly k: Kernel,
    private readonly standings: Standings,
    private readonly admin: Admin,
    private readonly reports: Reports,
    private readonly privacy: Privacy,
  ) {}

  /** The workspace's settings and name: every page is in the workspace's language. */
  async workspace(grant: DashboardGrant): Promise<{ settings: Settings; name: string; memberName: string; today: string }> {
    const settings = await this.k.scopes.settingsOf(grant.workspaceId);
    const [row, [member]] = await Promise.all([
      workspaces.getWorkspace(this.k.db, grant.workspaceId),
      workspaces.membersByIds(this.k.db, grant.workspaceId, [grant.memberId]),
    ]);
    const today = time.localDateOf(this.k.clock.now(), settings.timezone);
    return { settings, name: row?.name ?? row?.external_id ?? grant.workspaceId, memberName: member?.display_name ?? "?", today };
  }

  async team(grant: DashboardGrant, settings: Settings, window: LeaderboardWindow) {
    const { db, catalog } = this.k;
    const language = settings.language;
    const [board, streak, counts, tally, topics, rounds] = await Promise.all([
      this.standings.boardOf(grant.workspaceId, settings, window, grant.memberId),
      this.standings.streakOf(grant.workspaceId, settings, grant.memberId),
      progress.activeMemberCounts(db, grant.workspaceId),
      progress.topicAccuracy(db, grant.workspaceId),
      catalog.topicsFor(grant.workspaceId, settings.questionSource),
      recentRounds(db, grant.workspaceId, shownRounds),
    ]);
    const heatmap: Heatmap = { counts, end: streak.today, weeks: heatmapWeeks };
    const topicName = (id: string) => {
      const topic = topics.find((x) => x.id === id);
      return topic ? catalog.topicName(topic, language) : id;
    };
    const roundViews = await Promise.all(
      rounds.map(async (r) => {
        const question = await catalog.questionView(r.question_id, language);
        return {
          date: r.opened_at.slice(0, 10),
          prompt: question.text.prompt,
          answer: choiceLabel(question, question.answer),
          answered: r.answered,
          accuracy: share(r),
        };
      }),
    );
    // The hardest of the last rounds: the lowest share right among rounds with at least one answer.
    const hardest = roundViews
      .filter((r) => r.accuracy !== undefined)
      .reduce<(typeof roundViews)[number] | undefined>((a, b) => (a && (a.accuracy ?? 0) <= (b.accuracy ?? 0) ? a : b), undefined);
    // Other members open this page too: a hidden member is "a member" here, except to themselves.
    const rows = board.rows.map((row) =>
      row.memberId === grant.memberId ? { ...row, name: streak.name ?? row.name, hidden: false } : row,
    );
    return {
      board: { ...board, rows },
      teamStreak: streak.team,
      quorum: streak.quorum,
      heatmap,
      branches: branchAccuracy(topics, tally).map((b) => ({ label: catalog.topicName(b.topic, language), value: b.share })),
      weakest: weakestTopics(tally, shownWeakest).map((id) => ({
        id,
        name: topicName(id),
        ...(tally.get(id) ?? { answered: 0, correct: 0 }),
      })),
      rounds: roundViews.map((r) => ({ ...r, hardest: r === hardest })),
    };
  }

  async me(grant: DashboardGrant, settings: Settings) {
    const { db, catalog } = this.k;
    const language = settings.language;
    const [streak, board, tally, topics, due, missed] = await Promise.all([
      this.standings.streakOf(grant.workspaceId, settings, grant.memberId),
      this.standings.boardOf(grant.workspaceId, settings, "week", grant.memberId),
      progress.topicAccuracy(db, grant.workspaceId, grant.memberId),
      catalog.topicsFor(grant.workspaceId, settings.questionSource),
      dueCards(db, grant.memberId, this.k.clock.now()),
      missedQuestions(db, grant.workspaceId, grant.memberId, shownMissed),
    ]);
    const heatmap: Heatmap = { counts: new Map([...streak.dates].map((d) => [d, 1])), end: streak.today, weeks: heatmapWeeks };
    const topicRows = [...tally.entries()]
      .map(([id, s]) => {
        const topic = topics.find((x) => x.id === id);
        return { id, name: topic ? catalog.topicName(topic, language) : id, answered: s.answered, accuracy: share(s) ?? 0 };
      })
      .sort((a, b) => a.accuracy - b.accuracy || b.answered - a.answered);
    const missedViews = await Promise.all(
      missed.map(async (m) => {
        const q = await catalog.questionView(m.questionId, language);
        return {
          prompt: q.text.prompt,
          choices: q.text.choices.map((_, i) => choiceLabel(q, i)),
          answer: choiceLabel(q, q.answer),
          explanation: q.text.explanation,
          source: q.source,
          topicName: q.topicName,
        };
      }),
    );
    return {
      streak,
      rank: board.rows.find((r) => r.memberId === grant.memberId),
      heatmap,
      topics: topicRows,
      due: due.count,
      missed: missedViews,
    };
  }

  async adminView(grant: DashboardGrant, settings: Settings) {
    const { db } = this.k;
    const [subscriptions, reports, fields, packs, hidden] = await Promise.all([
      subscriptionsOf(db, grant.workspaceId),
      openReports(db, grant.workspaceId, settings.language),
      this.admin.settingFields(grant.workspaceId, settings),
      listPacks(db, grant.workspaceId),
      this.privacy.hiddenMemberNames(grant.workspaceId),
    ]);
    const language = settings.language;
    const named = await Promise.all(
      reports.map(async (r) => ({ ...r, prompt: (await this.k.catalog.questionView(r.questionId, language)).text.prompt })),
    );
    return { subscriptions, reports: named, settings: fields, packs, hidden };
  }

  /** Resolves a question's open reports from the admin page; returns how many were closed. */
  resolveReports(grant: DashboardGrant, questionId: string): Promise<number> {
    return this.reports.resolveQuestion(grant.workspaceId, questionId);
  }
}

export type TeamView = Awaited<ReturnType<DashboardData["team"]>>;
export type MeView = Awaited<ReturnType<DashboardData["me"]>>;
export type AdminView = Awaited<ReturnType<DashboardData["adminView"]>>;
