import { BoundedMap } from "../../core/cache.ts";
import { UsageError } from "../../core/commands.ts";
import * as time from "../../core/local-time.ts";
import { type Block, privateReply, publicReply, type Reply } from "../../core/message.ts";
import type { Scope } from "../../core/scope.ts";
import * as progress from "../../store/progress.repository.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import type { Kernel } from "../kernel.ts";
import type { Recaps } from "../recaps/recaps.ts";
import { reigningChampion, seasonOf } from "../seasons/seasons.ts";
import { effectiveQuorum, personalStreak, teamStreak } from "./streaks.ts";

export type LeaderboardWindow = "week" | "month" | "season" | "all";
const leaderboardRows = 25;
/** Workspaces whose last season's champion is remembered (a finished season's board no longer changes). */
const championCacheSize = 10_000;

/** Streaks (personal and team) and the leaderboard. */
export class Standings {
  /** Last season's champion by workspace and season ("" for none): read once a season, not on every board. */
  private readonly champions = new BoundedMap<string, string>(championCacheSize);

  constructor(
    private readonly k: Kernel,
    private readonly recaps: Recaps,
  ) {}

  async streak(scope: Scope, memberArgument: string | undefined, usage: string): Promise<Reply> {
    const { t, settings } = scope;
    const { db } = this.k;
    let memberId = scope.memberId;
    if (memberArgument !== undefined) {
      // Slack mentions arrive as <@U123|name>, Discord's as <@123> or <@!123>.
      const mention = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(memberArgument);
      const member = await workspaces.findMember(db, scope.workspaceId, mention?.[1] ?? memberArgument.replace(/^@/, ""));
      if (!member) throw new UsageError(t.unknownMember(memberArgument), usage);
      memberId = member.id;
    }
    const [member] = await workspaces.membersByIds(db, scope.workspaceId, [memberId]);
    const today = time.localDateOf(this.k.clock.now(), settings.timezone);
    const dates = (await progress.activeDates(db, scope.workspaceId, [memberId])).get(memberId) ?? new Set<string>();
    const personal = personalStreak(dates, settings.studyDays, today);
    const quorum = effectiveQuorum(settings.quorum, await workspaces.countMembers(db, scope.workspaceId));
    const team = teamStreak(await progress.activeMemberCounts(db, scope.workspaceId), quorum, settings.studyDays, today);
    const reply = privateReply([
      { type: "header", text: t.streakTitle(member?.display_name ?? scope.displayName) },
      {
        type: "fields",
        fields: [
          { label: t.personal, value: t.days(personal.current) },
          { label: t.longest, value: t.days(personal.longest) },
          { label: t.freezes, value: `${personal.freezes} / 2` },
          { label: t.teamStreak, value: `${t.days(team)} ${t.quorumNote(quorum)}` },
        ],
      },
      { type: "context", text: t.streakPicture },
    ]);
    reply.message.image = { name: `streak-${today}.png`, png: this.recaps.streakPicture(dates, today), alt: t.streakPicture };
    return reply;
  }

  /** The leaderboard of a window, posted to the channel at most once per cooldown. */
  leaderboard(scope: Scope, window: LeaderboardWindow): Promise<Reply> {
    return this.k.cooldowns.post(scope, window, scope.t.leaderboardTitle[window], () => this.board(scope, window));
  }

  private async board(scope: Scope, window: LeaderboardWindow): Promise<Reply> {
    const { t, settings } = scope;
    const { db } = this.k;
    const today = time.localDateOf(this.k.clock.now(), settings.timezone);
    // A season is the calendar month: its board is the month's, with the season's name.
    const period: progress.ScorePeriod =
      window === "all"
        ? { period: "all" }
        : window === "week"
          ? { period: "week", startsOn: time.startOfWeek(today) }
          : { period: "month", startsOn: time.startOfMonth(today) };
    // The count reads every score of the period, so it runs beside the board and the shown rows' names and dates.
    const [count, champion, { shown, members, dates }] = await Promise.all([
      progress.countScores(db, scope.workspaceId, period),
      this.champion(scope.workspaceId, today),
      progress.scoreBoard(db, scope.workspaceId, period, scope.memberId, leaderboardRows).then(async (board) => {
        const shown = board.top.map((row, i) => ({ row, rank: i + 1 }));
        if (board.self && board.self.rank > leaderboardRows) shown.push(board.self);
        const ids = shown.map(({ row }) => row.memberId);
        const [members, dates] = await Promise.all([
          workspaces.membersByIds(db, scope.workspaceId, ids),
          progress.activeDates(db, scope.workspaceId, ids),
        ]);
        return { shown, members, dates };
      }),
    ]);
    if (count === 0)
      return publicReply([
        { type: "header", text: t.leaderboardTitle[window] },
        { type: "text", text: t.emptyBoard },
      ]);
    const names = new Map(members.map((m) => [m.id, m.display_name]));
    // Last season's champion wears a 🏆 on every board for the whole season.
    const rows = shown.map(({ row, rank }) => [
      String(rank),
      `${row.memberId === champion ? "🏆 " : ""}${names.get(row.memberId) ?? "?"}`,
      String(row.points),
      row.answered > 0 ? `${Math.round((100 * row.correct) / row.answered)}%` : "-",
      String(personalStreak(dates.get(row.memberId) ?? new Set(), settings.studyDays, today).current),
    ]);
    const blocks: Block[] = [
      { type: "header", text: t.leaderboardTitle[window] },
      { type: "table", columns: [...t.columns], rows },
    ];
    const hidden = count - shown.length;
    if (hidden > 0) blocks.push({ type: "context", text: t.moreMembers(hidden) });
    return publicReply(blocks);
  }

  private async champion(workspaceId: string, today: string): Promise<string | undefined> {
    const key = `${workspaceId}|${seasonOf(today)}`;
    let champion = this.champions.get(key);
    if (champion === undefined) {
      champion = (await reigningChampion(this.k.db, workspaceId, today)) ?? "";
      this.champions.set(key, champion);
    }
    return champion || undefined;
  }
}
