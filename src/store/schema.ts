import type { Generated } from "kysely";

// Timestamps are ISO-8601 UTC text and local dates are YYYY-MM-DD text, so both
// dialects sort and compare them the same way. Flags are 0/1 integers.

export interface WorkspacesTable {
  id: string;
  platform: string;
  external_id: string;
  name: string | null;
  timezone: string | null;
  language: string | null;
  study_days: string | null;
  quiz_duration_s: number | null;
  team_quorum: number | null;
  /** What quizzes draw from: builtin, team or both (null: both). */
  question_source: string | null;
  /** The 50/50 lifeline: 0 off; null or 1 on. */
  lifelines: number | null;
  /** Where members' question submissions go for review: a platform channel id (null: submissions are closed). */
  review_channel: string | null;
  /** The Discord role that moves to each season's champion (null: none). */
  champion_role: string | null;
  /** The daily discussion thread: 0 off; null or 1 on. */
  thread: number | null;
  /** How many days answers are kept (null: forever); the minute job deletes older ones. */
  retention_days: number | null;
  created_at: string;
}

export interface MembersTable {
  id: string;
  workspace_id: string;
  external_id: string;
  display_name: string;
  created_at: string;
  /** The channel (channels.id) where the member last typed a /study command or answered a quiz: Quiz me posts there. */
  last_channel_id: string | null;
  /** 1: the member chose /study privacy hide, and public surfaces show them as "a member"; 0 (the default): shown. */
  hidden: Generated<number>;
}

export interface ChannelsTable {
  id: string;
  workspace_id: string;
  external_id: string;
}

export interface SubscriptionsTable {
  channel_id: string;
  workspace_id: string;
  post_time: string;
  status: "active" | "failing";
  failure_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface TopicsTable {
  id: string;
  parent_id: string | null;
  zh_name: string;
  en_name: string;
  ref: string | null;
  position: number;
  content_hash: string;
  retired: number;
}

export interface QuestionsTable {
  id: string;
  topic_id: string;
  difficulty: number;
  answer: number;
  body: string;
  source_kind: string;
  source_ref: string;
  content_hash: string;
  /** 0 active; 1 retired (gone from its file); 2 held back while its pack is disabled. */
  retired: number;
  updated_at: string;
  /** The workspace and pack of a team's question; null for the bank's. */
  workspace_id: string | null;
  pack_id: string | null;
}

export interface LifelinesTable {
  round_id: string;
  member_id: string;
  workspace_id: string;
  /** The wrong choice the 50/50 left beside the answer. */
  kept_choice: number;
  used_at: string;
}

export interface PacksTable {
  workspace_id: string;
  id: string;
  title: string;
  description: string | null;
  author: string | null;
  /** en or zh for a pack in one language; null for both. */
  language: string | null;
  enabled: number;
  questions: number;
  /** JSON [{ id, name }]: the pack's topics, shown under the Team branch. */
  topics: string;
  /** The file as imported, for export. */
  file: string;
  imported_at: string;
}

export interface ArticlesTable {
  url: string;
  zh_title: string;
  en_title: string;
  published: string;
  zh_url: string;
  topics: string;
  /** The article's note as JSON (ArticleNote), or null while it has none. */
  note: string | null;
  content_hash: string;
  retired: number;
}

export interface ReadingTable {
  id: string;
  title: string;
  en_title: string;
  author: string | null;
  topics: string;
  content_hash: string;
  retired: number;
}

export interface DigestsTable {
  id: string;
  channel_id: string;
  workspace_id: string;
  local_date: string;
  article_url: string;
  cycle: number;
  status: "selected" | "claimed" | "posted";
  message_ref: string | null;
  round_id: string | null;
  claimed_at: string | null;
  posted_at: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
}

export interface RoundsTable {
  id: string;
  workspace_id: string;
  channel_id: string;
  /** The thread the round was posted in (the daily question), or null for a channel message. */
  thread_id: string | null;
  question_id: string;
  kind: "adhoc" | "daily";
  status: "open" | "closed";
  opened_at: string;
  closes_at: string;
  closed_at: string | null;
  message_ref: string | null;
  first_correct_member_id: string | null;
  results_claimed_at: string | null;
  results_edited_at: string | null;
  results_attempts: Generated<number>;
  results_next_attempt_at: string | null;
  results_failure: string | null;
}

export interface AnswersTable {
  round_id: string;
  member_id: string;
  workspace_id: string;
  choice: number;
  correct: number;
  points: number;
  answered_at: string;
  local_date: string;
}

export interface ReadsTable {
  member_id: string;
  local_date: string;
  workspace_id: string;
  digest_id: string;
  points: number;
  read_at: string;
}

export interface ActivityTable {
  member_id: string;
  local_date: string;
  workspace_id: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface SlackInstallationsTable {
  team_id: string;
  installation: string;
  installed_at: string;
}

export interface ProcessedEventsTable {
  event_id: string;
  received_at: string;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface CardsTable {
  member_id: string;
  question_id: string;
  workspace_id: string;
  /** The FSRS card as JSON. */
  state: string;
  /** The card before its last rating, so a member can still change that rating to Easy. */
  previous_state: string | null;
  due: string;
  reviewed_at: string;
}

export interface ReportsTable {
  id: string;
  workspace_id: string;
  question_id: string;
  /** Who reported; null once that member was forgotten (the note stays). */
  member_id: string | null;
  round_id: string;
  note: string | null;
  created_at: string;
  resolved_at: string | null;
}

export interface RecapsTable {
  id: string;
  channel_id: string;
  week_start: string;
  status: "claimed" | "posted";
  claimed_at: string;
  message_ref: string | null;
}

export interface SquadsTable {
  workspace_id: string;
  name: string;
  group_id: string;
}

export interface MemberGroupsTable {
  member_id: string;
  group_id: string;
  workspace_id: string;
}

/** A member's points in one period: a week (starts_on its Monday), a month (its first day) or all time (starts_on ""). */
export interface ScoresTable {
  member_id: string;
  period: "week" | "month" | "all";
  starts_on: string;
  workspace_id: string;
  points: number;
  answered: number;
  correct: number;
  /** When the member last earned points in the period: the tie-break "who got there first". */
  last_scored_at: string | null;
  first_at: string;
}

export interface SubmissionsTable {
  id: string;
  workspace_id: string;
  member_id: string;
  channel_id: string;
  language: string;
  /** draft, pending, approved or rejected. */
  status: string;
  body: string;
  draft: string | null;
  review_channel: string | null;
  review_ref: string | null;
  decided_by: string | null;
  reason: string | null;
  question_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface SeasonsTable {
  workspace_id: string;
  season: string;
  champion_member_id: string | null;
  /** pending, moved, withheld (the champion is hidden: nobody got it), failed or none. */
  role_status: string;
  role_detail: string | null;
  decided_at: string;
}

export interface SeasonPostsTable {
  id: string;
  channel_id: string;
  season: string;
  status: "claimed" | "posted";
  claimed_at: string;
  message_ref: string | null;
}

export interface Database {
  workspaces: WorkspacesTable;
  members: MembersTable;
  channels: ChannelsTable;
  subscriptions: SubscriptionsTable;
  topics: TopicsTable;
  questions: QuestionsTable;
  packs: PacksTable;
  lifelines: LifelinesTable;
  submissions: SubmissionsTable;
  seasons: SeasonsTable;
  season_posts: SeasonPostsTable;
  articles: ArticlesTable;
  reading: ReadingTable;
  digests: DigestsTable;
  rounds: RoundsTable;
  answers: AnswersTable;
  reads: ReadsTable;
  activity: ActivityTable;
  meta: MetaTable;
  slack_installations: SlackInstallationsTable;
  processed_events: ProcessedEventsTable;
  leases: LeasesTable;
  cards: CardsTable;
  reports: ReportsTable;
  recaps: RecapsTable;
  squads: SquadsTable;
  member_groups: MemberGroupsTable;
  scores: ScoresTable;
}
