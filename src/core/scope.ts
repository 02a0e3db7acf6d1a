import { BoundedMap, BoundedSet, timedCache } from "./cache.ts";
import { type QuestionSource, questionSources } from "./catalog.ts";
import type { Clock } from "./clock.ts";
import { type Language, type Strings, strings } from "./i18n.ts";
import type { ChannelAddress, Platform } from "./ports.ts";
import { defaultStudyDays, parseStudyDays, type StudyDays } from "./study-days.ts";

export const defaultQuizSeconds = 10 * 60;
/** Another replica's config change shows within this time. */
const settingsLifetimeMs = 5_000;
const settingsCacheSize = 10_000;
/** Workspaces, channels and members remembered as stored (a forgotten member is let go of by forgetMember). */
const storedCacheSize = 100_000;

export const workspaceKey = (a: { platform: Platform; workspaceId: string }) => `${a.platform}:${a.workspaceId}`;
export const channelKey = (a: ChannelAddress) => `${workspaceKey(a)}:${a.channelId}`;
export const memberKey = (a: ChannelAddress, userId: string) => `${workspaceKey(a)}:${userId}`;

/** The platform address of a stored channel id (`platform:workspace:channel`). */
export function addressOf(channelId: string): ChannelAddress {
  const [platform, workspaceId, ...rest] = channelId.split(":");
  return { platform: platform as Platform, workspaceId: workspaceId as string, channelId: rest.join(":") };
}

export interface Settings {
  timezone: string;
  language: Language;
  studyDays: StudyDays;
  quizSeconds: number;
  quorum: number | null;
  questionSource: QuestionSource;
  /** Whether open rounds offer the 50/50 lifeline. */
  lifelines: boolean;
  /** The platform channel id where members' question submissions go for review; null: submissions are closed. */
  reviewChannel: string | null;
  /** The platform role (Discord) that moves to each season's champion; null: none. */
  championRole: string | null;
  /** Whether the daily question goes into a discussion thread on the digest. */
  thread: boolean;
  /** How many days answers are kept; null: forever. */
  retentionDays: number | null;
}

/** Who acts, where, and under which settings: what every command and click starts from. */
export interface Scope {
  workspaceId: string;
  channelId: string;
  memberId: string;
  userId: string;
  displayName: string;
  address: ChannelAddress;
  settings: Settings;
  t: Strings;
}

/** A workspace's stored settings; null where the deployment's default applies. */
export interface SettingsRow {
  timezone: string | null;
  language: string | null;
  study_days: string | null;
  quiz_duration_s: number | null;
  team_quorum: number | null;
  question_source: string | null;
  lifelines: number | null;
  /** Absent where a query does not read it (the digest fan-out). */
  review_channel?: string | null;
  champion_role: string | null;
  thread: number | null;
  /** Absent where a query does not read it (the digest fan-out). */
  retention_days?: number | null;
}

/** Where workspaces, channels and members are kept (src/store/workspaces.repository.ts and squads' groups). */
export interface IdentityStore {
  ensureWorkspace(workspace: { id: string; platform: Platform; externalId: string; name: string | null }, now: Date): Promise<void>;
  ensureChannel(channel: { id: string; workspaceId: string; externalId: string }): Promise<void>;
  workspaceSettings(workspaceId: string): Promise<SettingsRow | undefined>;
  ensureMember(member: { id: string; workspaceId: string; externalId: string; displayName: string }, now: Date): Promise<void>;
  setMemberGroups(workspaceId: string, memberId: string, groups: string[]): Promise<void>;
}

/** Builds the scope of an event: stores what is new (once per process), and reads the workspace's settings. */
export class Scopes {
  private readonly settingsCache;
  private readonly storedPlaces = new BoundedSet<string>(storedCacheSize);
  /** The display name each member was last stored with. */
  private readonly storedNames = new BoundedMap<string, string>(storedCacheSize);
  /** The groups each member was last stored with, so unchanged roles cost no query. */
  private readonly storedGroups = new BoundedMap<string, string>(storedCacheSize);
  /** Writes in flight: a member's clicks that arrive together share one write instead of racing. */
  private readonly writesInFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
    private readonly defaults: { timezone: string; language: Language },
  ) {
    this.settingsCache = timedCache<string, Settings>(clock, { max: settingsCacheSize, ttlMs: settingsLifetimeMs });
  }

  get defaultLanguage(): Language {
    return this.defaults.language;
  }

  async enter(address: ChannelAddress, userId: string, displayName: string, workspaceName: string | undefined): Promise<Scope> {
    const workspaceId = workspaceKey(address);
    const channelId = channelKey(address);
    if (!this.storedPlaces.has(workspaceId)) {
      const workspace = { id: workspaceId, platform: address.platform, externalId: address.workspaceId, name: workspaceName ?? null };
      await this.store.ensureWorkspace(workspace, this.clock.now());
      this.storedPlaces.add(workspaceId);
    }
    if (!this.storedPlaces.has(channelId)) {
      await this.store.ensureChannel({ id: channelId, workspaceId, externalId: address.channelId });
      this.storedPlaces.add(channelId);
    }
    const settings = await this.settingsOf(workspaceId);
    const memberId = memberKey(address, userId);
    return { workspaceId, channelId, memberId, userId, displayName, address, settings, t: strings(settings.language) };
  }

  /** A workspace's effective settings: its own values over the deployment's defaults. */
  async settingsOf(workspaceId: string): Promise<Settings> {
    const cached = this.settingsCache.get(workspaceId);
    if (cached) return cached;
    const settings = this.settingsFromRow(await this.store.workspaceSettings(workspaceId));
    this.settingsCache.set(workspaceId, settings);
    return settings;
  }

  /** Drops a workspace's cached settings after this process changed them. */
  forgetSettings(workspaceId: string): void {
    this.settingsCache.delete(workspaceId);
  }

  settingsFromRow(row: SettingsRow | undefined): Settings {
    return {
      timezone: row?.timezone ?? this.defaults.timezone,
      language: (row?.language as Language | null) ?? this.defaults.language,
      studyDays: (row?.study_days && parsedStudyDays(row.study_days)) || defaultStudyDays,
      quizSeconds: row?.quiz_duration_s ?? defaultQuizSeconds,
      quorum: row?.team_quorum ?? null,
      questionSource: questionSources.find((source) => source === row?.question_source) ?? "both",
      lifelines: row?.lifelines !== 0,
      reviewChannel: row?.review_channel ?? null,
      championRole: row?.champion_role ?? null,
      thread: row?.thread !== 0,
      retentionDays: row?.retention_days ?? null,
    };
  }

  /** True when the member is stored under this display name: a write that stores them may be skipped. */
  isMemberStored(scope: Scope): boolean {
    return this.storedNames.get(scope.memberId) === scope.displayName;
  }

  /** Records that a write committed the member under this display name. */
  memberStored(scope: Scope): void {
    this.storedNames.set(scope.memberId, scope.displayName);
  }

  /** The member was forgotten: their next write stores them again, with their groups. */
  forgetMember(memberId: string): void {
    this.storedNames.delete(memberId);
    this.storedGroups.delete(memberId);
  }

  /** Members are stored when they first earn something, so refused input leaves no trace. */
  async ensureMember(scope: Scope): Promise<void> {
    if (this.isMemberStored(scope)) return;
    await this.writeOnce(`member|${scope.memberId}|${scope.displayName}`, async () => {
      await this.store.ensureMember(memberRow(scope), this.clock.now());
      this.memberStored(scope);
    });
  }

  /** Keeps the groups a platform reports with each event (Discord roles), for squads. */
  async rememberGroups(scope: Scope, groups: string[] | undefined): Promise<void> {
    if (!groups) return;
    // A member in no group leaves no trace; one in groups is stored so squads can count them.
    if (groups.length > 0) await this.ensureMember(scope);
    const key = [...groups].sort().join(",");
    if (this.storedGroups.get(scope.memberId) === key) return;
    await this.writeOnce(`groups|${scope.memberId}|${key}`, async () => {
      await this.store.setMemberGroups(scope.workspaceId, scope.memberId, groups);
      this.storedGroups.set(scope.memberId, key);
    });
  }

  /** Runs a write unless the same one is already in flight, in which case it waits for that one. */
  private writeOnce(key: string, write: () => Promise<void>): Promise<void> {
    let running = this.writesInFlight.get(key);
    if (!running) {
      running = write().finally(() => this.writesInFlight.delete(key));
      this.writesInFlight.set(key, running);
    }
    return running;
  }
}

export function memberRow(scope: Scope) {
  return { id: scope.memberId, workspaceId: scope.workspaceId, externalId: scope.userId, displayName: scope.displayName };
}

// A fan-out reads the study days of every subscription; the few distinct texts are parsed once (false: not valid).
const studyDaysByText = new BoundedMap<string, StudyDays | false>(1000);

function parsedStudyDays(text: string): StudyDays | undefined {
  let days = studyDaysByText.get(text);
  if (days === undefined) {
    days = parseStudyDays(text) ?? false;
    studyDaysByText.set(text, days);
  }
  return days || undefined;
}
