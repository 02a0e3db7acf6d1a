import { timedCache } from "../../core/cache.ts";
import * as time from "../../core/local-time.ts";
import { privateReply, publicReply, type Reply } from "../../core/message.ts";
import { memberKey, type Scope } from "../../core/scope.ts";
import * as progress from "../../store/progress.repository.ts";
import type { Kernel } from "../kernel.ts";
import { effectiveQuorum, teamStreak } from "../standings/streaks.ts";
import * as squads from "./squads.repository.ts";

/** Slack rate-limits usergroups.users.list: a group's members are asked for once per this time and reused until then. */
const groupMembersLifetimeMs = 5 * 60_000;
const groupMembersCacheSize = 1_000;

/** Squads: a platform group (Slack user group, Discord role) mapped to a name, ranked per active member. */
export class Squads {
  /** Platform user ids by `platform:workspace|group`: a squad mapped to another group finds nothing here under it. */
  private readonly groupMembers;

  constructor(private readonly k: Kernel) {
    this.groupMembers = timedCache<string, string[]>(k.clock, { max: groupMembersCacheSize, ttlMs: groupMembersLifetimeMs });
  }

  async map(scope: Scope, squad: string, groupId: string): Promise<Reply> {
    await squads.upsertSquad(this.k.db, scope.workspaceId, squad, groupId);
    return publicReply([{ type: "text", text: scope.t.squadSet(squad, groupId) }]);
  }

  /** Squads ranked by this week's points per active member, each with its own streak (the team's quorum rule). */
  board(scope: Scope): Promise<Reply> {
    return this.k.cooldowns.post(scope, "squads", scope.t.squadsTitle, () => this.rank(scope));
  }

  private async rank(scope: Scope): Promise<Reply> {
    const { t, settings } = scope;
    const { db } = this.k;
    const list = await squads.listSquads(db, scope.workspaceId);
    if (list.length === 0) return privateReply([{ type: "text", text: t.noSquads }]);
    const today = time.localDateOf(this.k.clock.now(), settings.timezone);
    const weekly = await progress.scoreTotals(db, scope.workspaceId, { period: "week", startsOn: time.startOfWeek(today) });
    const totals = new Map(weekly.map((row) => [row.memberId, row]));
    const rows = [];
    for (const squad of list) {
      const members = await this.membersOf(scope, squad.group_id);
      const active = members.filter((id) => totals.has(id));
      const points = active.reduce((sum, id) => sum + (totals.get(id)?.points ?? 0), 0);
      const days = new Map<string, number>();
      for (const dates of (await progress.activeDates(db, scope.workspaceId, members)).values()) {
        for (const date of dates) days.set(date, (days.get(date) ?? 0) + 1);
      }
      const streak = teamStreak(days, effectiveQuorum(settings.quorum, members.length), settings.studyDays, today);
      rows.push({ name: squad.name, perMember: active.length > 0 ? points / active.length : 0, active: active.length, streak });
    }
    rows.sort((a, b) => b.perMember - a.perMember || b.active - a.active);
    return publicReply([
      { type: "header", text: t.squadsTitle },
      {
        type: "table",
        columns: [...t.squadColumns],
        rows: rows.map((row, i) => [
          String(i + 1),
          row.name,
          String(Math.round(row.perMember * 10) / 10),
          String(row.active),
          String(row.streak),
        ]),
      },
    ]);
  }

  /** A group's member ids: from the platform where it lists groups (cached), else the members last seen in it. */
  private async membersOf(scope: Scope, groupId: string): Promise<string[]> {
    const adapter = this.k.delivery.find(scope.address.platform);
    if (!adapter?.groupMembers) return squads.membersSeenIn(this.k.db, scope.workspaceId, groupId);
    const key = `${scope.workspaceId}|${groupId}`;
    let userIds = this.groupMembers.get(key);
    if (!userIds) {
      userIds = await adapter.groupMembers(scope.address.workspaceId, groupId);
      this.groupMembers.set(key, userIds);
    }
    return userIds.map((userId) => memberKey(scope.address, userId));
  }
}
