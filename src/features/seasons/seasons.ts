import { strings } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { type Block, message, type OutMessage } from "../../core/message.ts";
import type { ChannelAddress } from "../../core/ports.ts";
import { channelKey, type Settings, workspaceKey } from "../../core/scope.ts";
import type { StudyDays } from "../../core/study-days.ts";
import { reclaim } from "../../store/claims.repository.ts";
import type { Db } from "../../store/database.ts";
import * as progress from "../../store/progress.repository.ts";
import type { Kernel } from "../kernel.ts";
import { isHidden } from "../privacy/privacy.repository.ts";
import { publicNames } from "../privacy/public-names.ts";
import { type PostClaims, postOnce } from "../recaps/post-once.ts";
import { personalStreak } from "../standings/streaks.ts";
import * as seasons from "./seasons.repository.ts";
import { seasonName, seasonStrings } from "./strings.ts";

/** A member counts for "most improved" with at least this many answers in both seasons. */
const improvedMinAnswers = 5;

/** A season is a calendar month in the workspace's timezone: YYYY-MM. */
export const seasonOf = (date: string) => date.slice(0, 7);
export const seasonBefore = (season: string) => seasonOf(time.addDays(`${season}-01`, -1));
const lastDayOf = (season: string) => time.addDays(`${seasonOf(time.addDays(`${season}-01`, 31))}-01`, -1);
const seasonPeriod = (season: string): progress.ScorePeriod => ({ period: "month", startsOn: `${season}-01` });

/** Today is the month's first study day: a study day, with none before it this month. */
export function isFirstStudyDayOfMonth(studyDays: StudyDays, today: string): boolean {
  if (!studyDays.has(time.weekdayOf(today))) return false;
  for (let day = `${seasonOf(today)}-01`; day < today; day = time.addDays(day, 1)) if (studyDays.has(time.weekdayOf(day))) return false;
  return true;
}

/** The champion of the season before today's: first on its board (points, then accuracy, then who got there first). */
export async function reigningChampion(db: Db, workspaceId: string, today: string): Promise<string | undefined> {
  const [top] = await progress.boardTop(db, workspaceId, seasonPeriod(seasonBefore(seasonOf(today))), 1).execute();
  return top?.member_id;
}

/**
 * Monthly seasons: on the first study day of a month, before the digest, each subscribed channel gets last season's
 * final standings once; the workspace's champion is recorded once, and the champion role (Discord) moves to them.
 */
export class Seasons {
  constructor(private readonly k: Kernel) {}

  async postIfDue(address: ChannelAddress, settings: Settings, today: string): Promise<void> {
    if (!isFirstStudyDayOfMonth(settings.studyDays, today)) return;
    const season = seasonBefore(seasonOf(today));
    const workspaceId = workspaceKey(address);
    await this.crown(address, workspaceId, settings, season);
    const { db } = this.k;
    const channelId = channelKey(address);
    const claims: PostClaims = {
      get: () => seasons.getSeasonPost(db, channelId, season),
      claim: (id, now) => seasons.claimSeasonPost(db, { id, channelId, season }, now),
      reclaim: (id, stale, now) => reclaim(db, "season_posts", id, stale, now),
      confirm: (id, ref) => seasons.confirmSeasonPost(db, id, ref),
      release: (id) => seasons.releaseSeasonPost(db, id),
    };
    // A season nobody scored in gets no standings; the row still records that it is done.
    await postOnce(this.k, address, `season:${channelId}:${season}`, claims, () => this.standings(workspaceId, settings, season));
  }

  /**
   * Records the season's champion once per workspace; the replica that records it moves the champion role from the
   * last champion to the new one. A move left pending by a crash is taken over after the stale-claim time (adding and
   * removing a role are idempotent). A failure is kept for /study config and never stops the standings.
   */
  private async crown(address: ChannelAddress, workspaceId: string, settings: Settings, season: string): Promise<void> {
    const { db, clock, delivery } = this.k;
    const now = clock.now();
    const mover = delivery.find(address.platform)?.moveRole ? settings.championRole : null;
    let row = await seasons.getSeason(db, workspaceId, season);
    if (!row) {
      const [top] = await progress.boardTop(db, workspaceId, seasonPeriod(season), 1).execute();
      const champion = top?.member_id ?? null;
      row = {
        workspace_id: workspaceId,
        season,
        champion_member_id: champion,
        role_status: mover && champion ? "pending" : "none",
        role_detail: null,
        decided_at: now.toISOString(),
      };
      if (!(await seasons.claimSeason(db, row))) return;
    } else if (row.role_status !== "pending" || now.getTime() - new Date(row.decided_at).getTime() < this.k.staleClaimMs) {
      return;
    } else if (!(await seasons.reclaimSeason(db, workspaceId, season, row.decided_at, now))) {
      return;
    }
    const champion = row.champion_member_id;
    if (row.role_status !== "pending" || !mover || !champion) return;
    const last = (await seasons.getSeason(db, workspaceId, seasonBefore(season)))?.champion_member_id;
    const userOf = (memberId: string) => memberId.slice(workspaceId.length + 1);
    // Wearing the role would name a hidden champion: it leaves the last champion and goes to nobody this season.
    const hidden = await isHidden(db, champion);
    const from = last && (hidden || last !== champion) ? userOf(last) : undefined;
    try {
      await delivery.adapterFor(address.platform).moveRole?.(address.workspaceId, mover, from, hidden ? undefined : userOf(champion));
      await seasons.finishRoleMove(db, workspaceId, season, hidden ? "withheld" : "moved", null);
    } catch (error) {
      this.k.log.warn({ err: error, workspaceId, season }, "champion role not moved");
      await seasons.finishRoleMove(db, workspaceId, season, "failed", (error as Error).message.slice(0, 300));
    }
  }

  /** The season's top 3, the most improved member (accuracy against the season before) and the longest streak in it. */
  private async standings(workspaceId: string, settings: Settings, season: string): Promise<OutMessage | undefined> {
    const { db } = this.k;
    const t = strings(settings.language);
    const s = seasonStrings(settings.language);
    const totals = progress.rankTotals(await progress.scoreTotals(db, workspaceId, seasonPeriod(season)));
    if (totals.length === 0) return undefined;
    const before = new Map((await progress.scoreTotals(db, workspaceId, seasonPeriod(seasonBefore(season)))).map((r) => [r.memberId, r]));
    const accuracy = (r: { answered: number; correct: number }) => Math.round((100 * r.correct) / r.answered);
    const improved = totals
      .flatMap((r) => {
        const earlier = before.get(r.memberId);
        if (!earlier || r.answered < improvedMinAnswers || earlier.answered < improvedMinAnswers) return [];
        return [{ id: r.memberId, before: accuracy(earlier), after: accuracy(r) }];
      })
      .filter((x) => x.after > x.before)
      .sort((a, b) => b.after - b.before - (a.after - a.before))[0];
    const ids = totals.map((r) => r.memberId);
    const end = lastDayOf(season);
    const dates = await progress.activeDates(db, workspaceId, ids);
    const streak = ids
      .map((id) => {
        const inSeason = new Set([...(dates.get(id) ?? [])].filter((d) => d >= `${season}-01` && d <= end));
        return { id, days: personalStreak(inSeason, settings.studyDays, end).longest };
      })
      .sort((a, b) => b.days - a.days)[0];
    const names = await publicNames(db, workspaceId, ids, settings.language);
    const name = (id: string) => names.get(id) ?? "?";
    const [champion] = totals;
    const blocks: Block[] = [
      { type: "header", text: s.title(seasonName(season, settings.language)) },
      {
        type: "table",
        columns: [...t.columns.slice(0, 4)],
        rows: totals
          .slice(0, 3)
          .map((row, i) => [String(i + 1), name(row.memberId), String(row.points), row.answered > 0 ? `${accuracy(row)}%` : "-"]),
      },
      {
        type: "fields",
        fields: [
          { label: s.champion, value: `🏆 ${name(champion?.memberId ?? "")}` },
          {
            label: s.mostImproved,
            value: improved ? s.improvedLine(name(improved.id), improved.before, improved.after) : s.nobodyImproved,
          },
          { label: s.longestStreak, value: streak && streak.days > 0 ? s.streakLine(name(streak.id), streak.days) : "-" },
        ],
      },
      { type: "context", text: s.newSeason },
    ];
    return message(blocks);
  }
}
