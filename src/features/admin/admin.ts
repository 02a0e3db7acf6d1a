import type { Updateable } from "kysely";
import type { QuestionSource } from "../../core/catalog.ts";
import { formatDuration } from "../../core/durations.ts";
import { strings } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { privateReply, publicReply, type Reply } from "../../core/message.ts";
import type { Scope, Settings } from "../../core/scope.ts";
import { formatStudyDays, parseStudyDays, type StudyDays } from "../../core/study-days.ts";
import type { WorkspacesTable } from "../../store/schema.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import type { Digests } from "../digests/digests.ts";
import type { Kernel } from "../kernel.ts";
import { privacyStrings } from "../privacy/strings.ts";
import * as seasons from "../seasons/seasons.repository.ts";
import { seasonName, seasonStrings } from "../seasons/strings.ts";
import { effectiveQuorum } from "../standings/streaks.ts";
import type { Submissions } from "../submissions/submissions.ts";
import { hereChannel } from "./commands.ts";

export type ConfigChange =
  | { key: "timezone"; value: string }
  | { key: "language"; value: "zh" | "en" }
  | { key: "study-days"; value: string }
  | { key: "quiz-duration"; value: number }
  | { key: "team-quorum"; value: number }
  | { key: "questions"; value: QuestionSource }
  | { key: "lifelines"; value: boolean }
  | { key: "thread"; value: boolean }
  | { key: "review-channel"; value: string | null }
  | { key: "champion-role"; value: string | null }
  | { key: "retention"; value: number | null };

/** A channel's subscription to the daily article, and the workspace's settings. */
export class Admin {
  constructor(
    private readonly k: Kernel,
    private readonly digests: Digests,
    private readonly submissions: Submissions,
  ) {}

  async subscribe(scope: Scope, minuteOfDay: number): Promise<Reply> {
    const { t, settings } = scope;
    const postTime = time.formatClockTime(minuteOfDay);
    const subscription = { channelId: scope.channelId, workspaceId: scope.workspaceId, postTime };
    await workspaces.upsertSubscription(this.k.db, subscription, this.k.clock.now());
    // The catch-up rule: a time already past today posts today's digest now, after this reply.
    this.k.delivery.inBackground(() => this.digests.runDue());
    return publicReply([{ type: "text", text: t.subscribed(postTime, settings.timezone, formatStudyDays(settings.studyDays)) }]);
  }

  async unsubscribe(scope: Scope): Promise<Reply> {
    const { t } = scope;
    const removed = await workspaces.deleteSubscription(this.k.db, scope.channelId);
    return removed ? publicReply([{ type: "text", text: t.unsubscribed }]) : privateReply([{ type: "text", text: t.notSubscribed }]);
  }

  async showConfig(scope: Scope, usage: string): Promise<Reply> {
    const { t, settings } = scope;
    const { db } = this.k;
    const sub = await workspaces.getSubscription(db, scope.channelId);
    const subscription = !sub
      ? t.notSubscribedShort
      : sub.status === "failing"
        ? t.failing(sub.failure_reason ?? "")
        : t.subscribedAt(sub.post_time);
    return privateReply([
      { type: "header", text: t.configTitle },
      {
        type: "fields",
        fields: [...(await this.settingFields(scope.workspaceId, settings)), { label: t.subscription, value: subscription }],
      },
      { type: "context", text: `${t.usage}: ${usage}` },
    ]);
  }

  /** Each setting by its /study config key, as it is now: what /study config and the dashboard show. */
  async settingFields(workspaceId: string, settings: Settings): Promise<Array<{ label: string; value: string }>> {
    const quorum = settings.quorum ?? effectiveQuorum(null, await workspaces.countMembers(this.k.db, workspaceId));
    return [
      { label: "timezone", value: settings.timezone },
      { label: "language", value: settings.language },
      { label: "study-days", value: formatStudyDays(settings.studyDays) },
      { label: "quiz-duration", value: formatDuration(settings.quizSeconds) },
      { label: "team-quorum", value: String(quorum) },
      { label: "questions", value: settings.questionSource },
      { label: "lifelines", value: settings.lifelines ? "on" : "off" },
      { label: "thread", value: settings.thread ? "on" : "off" },
      { label: "review-channel", value: settings.reviewChannel ?? "off" },
      { label: "champion-role", value: await this.championRole(workspaceId, settings) },
      { label: "retention", value: strings(settings.language).retentionValue(settings.retentionDays) },
    ];
  }

  async setConfig(scope: Scope, change: ConfigChange): Promise<Reply> {
    if (change.key === "champion-role" && scope.address.platform !== "discord") {
      return privateReply([{ type: "text", text: seasonStrings(scope.settings.language).championRoleDiscordOnly }]);
    }
    const patch = settingPatch(change, scope.address.channelId);
    await workspaces.updateWorkspace(this.k.db, scope.workspaceId, patch);
    this.k.scopes.forgetSettings(scope.workspaceId);
    const t = change.key === "language" ? strings(change.value) : scope.t;
    const shown =
      change.key === "retention"
        ? t.retentionValue(change.value)
        : change.key === "quiz-duration"
          ? formatDuration(change.value)
          : change.key === "lifelines" || change.key === "thread"
            ? change.value
              ? "on"
              : "off"
            : String(Object.values(patch)[0] ?? "off");
    if (change.key === "review-channel" && change.value !== null) {
      // Submissions that waited for a review channel (none set, or one that refused the post) go to the new one.
      const settings = await this.k.scopes.settingsOf(scope.workspaceId);
      this.k.delivery.inBackground(() => this.submissions.postWaiting({ ...scope, settings }));
    }
    return publicReply([{ type: "text", text: t.configSet(change.key, shown) }]);
  }

  /** The champion role and how its last move went (a failure stays here until the next season's move). */
  private async championRole(workspaceId: string, settings: Settings): Promise<string> {
    const role = settings.championRole;
    if (!role) return "off";
    const s = seasonStrings(settings.language);
    const latest = await seasons.latestSeason(this.k.db, workspaceId);
    if (!latest || latest.role_status === "none") return role;
    const season = seasonName(latest.season, settings.language);
    if (latest.role_status === "failed") return `${role}: ${s.roleFailed(season, latest.role_detail ?? "")}`;
    if (latest.role_status === "pending") return `${role}: ${s.rolePending(season)}`;
    if (latest.role_status === "withheld") return `${role}: ${privacyStrings(settings.language).roleWithheld(season)}`;
    const [champion] = await workspaces.membersByIds(this.k.db, workspaceId, [latest.champion_member_id ?? ""]);
    return `${role}: ${s.roleMoved(season, champion?.display_name ?? "?")}`;
  }
}

/** The workspace columns a setting change writes; `here` for the review channel is the channel the command came from. */
function settingPatch(change: ConfigChange, channelId: string): Updateable<WorkspacesTable> {
  switch (change.key) {
    case "timezone":
      return { timezone: change.value };
    case "language":
      return { language: change.value };
    case "study-days":
      return { study_days: formatStudyDays(parseStudyDays(change.value) as StudyDays) };
    case "quiz-duration":
      return { quiz_duration_s: change.value };
    case "team-quorum":
      return { team_quorum: change.value };
    case "questions":
      return { question_source: change.value };
    case "lifelines":
      return { lifelines: change.value ? 1 : 0 };
    case "thread":
      return { thread: change.value ? 1 : 0 };
    case "champion-role":
      return { champion_role: change.value };
    case "review-channel":
      return { review_channel: change.value === hereChannel ? channelId : change.value };
    case "retention":
      return { retention_days: change.value };
  }
}
