import { BoundedMap } from "../../core/cache.ts";
import { UsageError } from "../../core/commands.ts";
import type { Strings } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { type Block, type Image, privateReply, publicReply, type Reply } from "../../core/message.ts";
import type { Scope, Settings } from "../../core/scope.ts";
import * as progress from "../../store/progress.repository.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import type { Kernel } from "../kernel.ts";
import { publicName } from "../privacy/public-names.ts";
import { privacyStrings } from "../privacy/strings.ts";
import type { Recaps } from "../recaps/recaps.ts";
import { reigningChampion, seasonOf } from "../seasons/seasons.ts";
import { effectiveQuorum, personalStreak, teamStreak } from "./streaks.ts";

export type LeaderboardWindow = "week" | "month" | "season" | "all";

export interface BoardRow {
  rank: number;
  memberId: string;
  /** The public name: "a member" for one who chose /study privacy hide. */
  name: string;
  /** The member chose /study privacy hide: a page must not carry their id either. */
  hidden: boolean;
  /** Last season's champion. */
  champion: boolean;
  points: number;
  /** Percent correct, rounded; undefined before any answer. */
  accuracy: number | undefined;
  streak: number;
}

export interface Board {
  rows: BoardRow[];
  /** Members with a score in the window, shown or not. */
  total: number;
}

export interface StreakSummary {
  /** The member's display name, when the member is known. */
  name: string | undefined;
  today: string;
  dates: ReadonlySet<string>;
  personal: { current: number; longest: number; freezes: number };
  team: number;
  quorum: number;
}
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
    const { t } = scope;
    let memberId = scope.memberId;
    if (memberArgument !== undefined) {
      // Slack mentions arrive as <@U123|name>, Discord's as <@123> or <@!123>.
      const mention = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(memberArgument);
      const member = await workspaces.findMember(this.k.db, scope.workspaceId, mention?.[1] ?? memberArgument.replace(/^@/, ""));
      if (!member) throw new UsageError(t.unknownMember(memberArgument), usage);
      memberId = member.id;
      if (member.hidden === 1 && memberId !== scope.memberId) {
        return privateReply([{ type: "text", text: privacyStrings(scope.settings.language).numbersPrivate(memberArgument) }]);
      }
    }
    const s = await this.streakOf(scope.workspaceId, scope.settings, memberId);
    const reply = privateReply([
      { type: "header", text: t.streakTitle(s.name ?? scope.displayName) },
      {
        type: "fields",
        fields: streakFields(t, s),
      },
      { type: "context", text: t.streakPicture },
    ]);
    reply.message.image = this.streakImage(s, scope);
    return reply;
  }

  /** The member's study days over 12 weeks as the streak picture, titled with their name, with its alt text. */
  streakImage(s: StreakSummary, scope: Scope): Image {
    const picture = { title: scope.t.streakTitle(s.name ?? scope.displayName), language: scope.settings.language };
    return { name: `streak-${s.today}.png`, ...this.recaps.streakPicture(s.dates, s.today, picture) };
  }

  /** A member's streak, freezes and study days, and the team streak: what /study streak, the dashboard and the homes show. */
  async streakOf(workspaceId: string, settings: Settings, memberId: string): Promise<StreakSummary> {
    const { db } = this.k;
    const [member] = await workspaces.membersByIds(db, workspaceId, [memberId]);
    const today = time.localDateOf(this.k.clock.now(), settings.timezone);
    const dates = (await progress.activeDates(db, workspaceId, [memberId])).get(memberId) ?? new Set<string>();
    const quorum = effectiveQuorum(settings.quorum, await workspaces.countMembers(db, workspaceId));
    const team = teamStreak(await progress.activeMemberCounts(db, workspaceId), quorum, settings.studyDays, today);
    return { name: member?.display_name, today, dates, personal: personalStreak(dates, settings.studyDays, today), team, quorum };
  }

  /** The leaderboard of a window, posted to the channel at most once per cooldown. */
  leaderboard(scope: Scope, window: LeaderboardWindow): Promise<Reply> {
    return this.k.cooldowns.post(scope, window, scope.t.leaderboardTitle[window], () => this.board(scope, window));
  }

  private async board(scope: Scope, window: LeaderboardWindow): Promise<Reply> {
    const { t } = scope;
    const { rows, total } = await this.boardOf(scope.workspaceId, scope.settings, window, scope.memberId);
    if (total === 0)
      return publicReply([
        { type: "header", text: t.leaderboardTitle[window] },
        { type: "text", text: t.emptyBoard },
      ]);
    const blocks: Block[] = [
      { type: "header", text: t.leaderboardTitle[window] },
      {
        type: "table",
        columns: [...t.columns],
        // Last season's champion wears a 🏆 on every board for the whole season.
        rows: rows.map((row) => [
          String(row.rank),
          `${row.champion ? "🏆 " : ""}${row.name}`,
          String(row.points),
          row.accuracy === undefined ? "-" : `${row.accuracy}%`,
          String(row.streak),
        ]),
      },
    ];
    const hidden = total - rows.length;
    if (hidden > 0) blocks.push({ type: "context", text: t.moreMembers(hidden) });
    return publicReply(blocks);
  }

  /**
   * The board of a window: the top 25, and `memberId`'s own row below them when it ranks lower; `total` counts every
   * member with a score. What /study leaderboard posts, the dashboard and the homes read.
   */
  async boardOf(workspaceId: string, settings: Settings, window: LeaderboardWindow, memberId: string): Promise<Board> {
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
    const [total, champion, { shown, members, dates }] = await Promise.all([
      progress.countScores(db, workspaceId, period),
      this.champion(workspaceId, today),
      progress.scoreBoard(db, workspaceId, period, memberId, leaderboardRows).then(async (board) => {
        const shown = board.top.map((row, i) => ({ row, rank: i + 1 }));
        if (board.self && board.self.rank > leaderboardRows) shown.push(board.self);
        const ids = shown.map(({ row }) => row.memberId);
        const [members, dates] = await Promise.all([
          workspaces.membersByIds(db, workspaceId, ids),
          progress.activeDates(db, workspaceId, ids),
        ]);
        return { shown, members, dates };
      }),
    ]);
    const byId = new Map(members.map((m) => [m.id, m]));
    const rows = shown.map(({ row, rank }) => {
      const member = byId.get(row.memberId);
      return {
        rank,
        memberId: row.memberId,
        name: member ? publicName(member, settings.language) : "?",
        hidden: member?.hidden === 1,
        champion: row.memberId === champion,
        points: row.points,
        accuracy: row.answered > 0 ? Math.round((100 * row.correct) / row.answered) : undefined,
        streak: personalStreak(dates.get(row.memberId) ?? new Set(), settings.studyDays, today).current,
      };
    });
    return { rows, total };
  }

  /** The member was forgotten: a season they won has no champion any more. */
  forgetMember(memberId: string): void {
    this.champions.deleteWhere((_, champion) => champion === memberId);
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

/** A streak summary as /study streak and the homes show it: personal, longest, freezes and the team streak. */
export function streakFields(t: Strings, s: StreakSummary): Array<{ label: string; value: string }> {
  return [
    { label: t.personal, value: t.days(s.personal.current) },
    { label: t.longest, value: t.days(s.personal.longest) },
    { label: t.freezes, value: `${s.personal.freezes} / 2` },
    { label: t.teamStreak, value: `${t.days(s.team)} ${t.quorumNote(s.quorum)}` },
  ];
}
