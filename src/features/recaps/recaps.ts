import { type ChartLanguage, heatmapAlt, heatmapSvg, recapAlt, recapSvg, svgToPng } from "../../charts/charts.ts";
import { strings } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { type Block, message, type OutMessage } from "../../core/message.ts";
import type { ChannelAddress } from "../../core/ports.ts";
import { choiceLabel } from "../../core/question.ts";
import { channelKey, type Settings, workspaceKey } from "../../core/scope.ts";
import { reclaim } from "../../store/claims.repository.ts";
import * as progress from "../../store/progress.repository.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import type { Kernel } from "../kernel.ts";
import { publicNames } from "../privacy/public-names.ts";
import { effectiveQuorum, personalStreak, teamStreak } from "../standings/streaks.ts";
import { branchAccuracy, weakestTopics } from "../topics/accuracy.ts";
import { type PostClaims, postOnce } from "./post-once.ts";
import * as recaps from "./recaps.repository.ts";

/** The weekly recap, and the pictures (the team's and a member's study days, accuracy by branch). */
export class Recaps {
  constructor(private readonly k: Kernel) {}

  /** A member's study days over 12 weeks, as a PNG under a title, and its alt text. */
  streakPicture(dates: ReadonlySet<string>, today: string, o: { title: string; language: ChartLanguage }): { png: Buffer; alt: string } {
    const heatmap = { counts: new Map([...dates].map((d) => [d, 1])), end: today, weeks: 12 };
    return { png: svgToPng(heatmapSvg(heatmap, o)), alt: heatmapAlt(heatmap, o) };
  }

  /** On the first study day of a week, before that day's digest: last week's recap, once per channel and week. */
  async postIfDue(address: ChannelAddress, settings: Settings, today: string): Promise<void> {
    const weekStart = time.startOfWeek(today);
    // Only on the week's first study day: today is one, and no day from Monday (1) to yesterday is.
    const weekday = time.weekdayOf(today);
    if (!settings.studyDays.has(weekday)) return;
    for (let day = 1; day < weekday; day++) if (settings.studyDays.has(day)) return;
    const { db } = this.k;
    const channelId = channelKey(address);
    const claims: PostClaims = {
      get: () => recaps.getRecap(db, channelId, weekStart),
      claim: (id, now) => recaps.claimRecap(db, { id, channelId, weekStart }, now),
      reclaim: (id, stale, now) => reclaim(db, "recaps", id, stale, now),
      confirm: (id, ref) => recaps.confirmRecap(db, id, ref),
      release: (id) => recaps.releaseRecap(db, id),
    };
    // A week nobody studied gets no recap; the row still records that the week is done.
    await postOnce(this.k, address, `recap:${channelId}:${weekStart}`, claims, () =>
      this.message(workspaceKey(address), settings, weekStart),
    );
  }

  /** Last week in one message (top 5, longest streaks, the team streak, the hardest question, the weakest topics), or none for a quiet week. */
  private async message(workspaceId: string, settings: Settings, weekStart: string): Promise<OutMessage | undefined> {
    const { db, catalog } = this.k;
    const t = strings(settings.language);
    const lastWeek = time.addDays(weekStart, -7);
    const totals = progress.rankTotals(await progress.scoreTotals(db, workspaceId, { period: "week", startsOn: lastWeek }));
    const blocks: Block[] = [{ type: "header", text: t.recapTitle(lastWeek) }];
    if (totals.length === 0) return undefined;
    const today = time.localDateOf(this.k.clock.now(), settings.timezone);
    const ids = totals.map((row) => row.memberId);
    const names = await publicNames(db, workspaceId, ids, settings.language);
    const dates = await progress.activeDates(db, workspaceId, ids);
    const streaks = ids
      .map((id) => ({ id, streak: personalStreak(dates.get(id) ?? new Set(), settings.studyDays, today).current }))
      .filter((x) => x.streak > 0)
      .sort((a, b) => b.streak - a.streak)
      .slice(0, 3);
    const quorum = effectiveQuorum(settings.quorum, await workspaces.countMembers(db, workspaceId));
    const team = teamStreak(await progress.activeMemberCounts(db, workspaceId), quorum, settings.studyDays, today);
    blocks.push({
      type: "table",
      columns: [...t.columns.slice(0, 4)],
      rows: totals
        .slice(0, 5)
        .map((row, i) => [
          String(i + 1),
          names.get(row.memberId) ?? "?",
          String(row.points),
          row.answered > 0 ? `${Math.round((100 * row.correct) / row.answered)}%` : "-",
        ]),
    });
    blocks.push({
      type: "fields",
      fields: [
        { label: t.recapStreaks, value: streaks.map((x) => `${names.get(x.id) ?? "?"} ${x.streak}`).join(", ") || "-" },
        { label: t.teamStreak, value: t.days(team) },
      ],
    });
    const hardest = [...(await progress.questionAccuracy(db, workspaceId, { since: lastWeek, until: weekStart })).entries()]
      .filter(([, s]) => s.answered >= 2)
      .sort(([, a], [, b]) => a.correct / a.answered - b.correct / b.answered || b.answered - a.answered)[0];
    if (hardest) {
      const [questionId, stats] = hardest;
      const question = await catalog.questionView(questionId, settings.language);
      const pct = Math.round((100 * stats.correct) / stats.answered);
      blocks.push({
        type: "text",
        text: `${t.recapHardest}: ${t.recapHardestLine(question.text.prompt, pct, choiceLabel(question, question.answer))}`,
      });
    }
    const accuracy = await progress.topicAccuracy(db, workspaceId);
    const weakest = weakestTopics(accuracy, 3);
    const topics = await catalog.topicsFor(workspaceId, settings.questionSource);
    if (weakest.length > 0) {
      const named = weakest.map((id) => {
        const topic = topics.find((x) => x.id === id);
        return topic ? `${catalog.topicName(topic, settings.language)} (${id})` : id;
      });
      blocks.push({ type: "text", text: `${t.recapWeakest}: ${named.join(", ")}` });
      blocks.push({ type: "context", text: t.recapQuizThem(weakest.map((id) => `/study quiz ${id}`).join(" · ")) });
    }
    blocks.push({ type: "context", text: t.recapPicture });
    const heatmap = { counts: await progress.activeMemberCounts(db, workspaceId), end: time.addDays(weekStart, -1), weeks: 12 };
    const bars = branchAccuracy(topics, accuracy).map(({ topic, share }) => ({
      label: catalog.topicName(topic, settings.language),
      value: share,
    }));
    const picture = { title: t.recapTitle(lastWeek), language: settings.language };
    return {
      ...message(blocks),
      image: { name: `recap-${weekStart}.png`, png: svgToPng(recapSvg(heatmap, bars, picture)), alt: recapAlt(heatmap, bars, picture) },
    };
  }
}
