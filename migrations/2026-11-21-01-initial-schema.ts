import { type Kysely, sql } from "kysely";

// Column types are the ones both SQLite and PostgreSQL accept (text, integer).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("workspaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("timezone", "text")
    .addColumn("language", "text")
    .addColumn("study_days", "text")
    .addColumn("quiz_duration_s", "integer")
    .addColumn("team_quorum", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("members")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("members_workspace").on("members").column("workspace_id").execute();

  await db.schema
    .createTable("channels")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("external_id", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("channel_id", "text", (c) => c.primaryKey().references("channels.id"))
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("post_time", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("failure_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("topics")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("parent_id", "text")
    .addColumn("zh_name", "text", (c) => c.notNull())
    .addColumn("en_name", "text", (c) => c.notNull())
    .addColumn("ref", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("retired", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("questions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("topic_id", "text", (c) => c.notNull())
    .addColumn("difficulty", "integer", (c) => c.notNull())
    .addColumn("answer", "integer", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("source_kind", "text", (c) => c.notNull())
    .addColumn("source_ref", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("retired", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("questions_topic").on("questions").column("topic_id").execute();

  await db.schema
    .createTable("articles")
    .addColumn("url", "text", (c) => c.primaryKey())
    .addColumn("zh_title", "text", (c) => c.notNull())
    .addColumn("en_title", "text", (c) => c.notNull())
    .addColumn("published", "text", (c) => c.notNull())
    .addColumn("zh_url", "text", (c) => c.notNull())
    .addColumn("topics", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("retired", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("reading")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("en_title", "text", (c) => c.notNull())
    .addColumn("author", "text")
    .addColumn("topics", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("retired", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("rounds")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("channel_id", "text", (c) => c.notNull().references("channels.id"))
    .addColumn("question_id", "text", (c) => c.notNull().references("questions.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    .addColumn("closes_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addColumn("message_ref", "text")
    .addColumn("first_correct_member_id", "text")
    .execute();
  // At most one open ad hoc round per channel, enforced by the database so racing commands cannot open two.
  await db.schema
    .createIndex("rounds_one_open_adhoc")
    .on("rounds")
    .column("channel_id")
    .unique()
    .where(sql.ref("status"), "=", "open")
    .where(sql.ref("kind"), "=", "adhoc")
    .execute();
  await db.schema.createIndex("rounds_status_closes").on("rounds").columns(["status", "closes_at"]).execute();
  await db.schema.createIndex("rounds_channel_opened").on("rounds").columns(["channel_id", "opened_at"]).execute();

  await db.schema
    .createTable("digests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("channel_id", "text", (c) => c.notNull().references("channels.id"))
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspaces.id"))
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("article_url", "text", (c) => c.notNull())
    .addColumn("cycle", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("message_ref", "text")
    .addColumn("round_id", "text")
    .addColumn("claimed_at", "text")
    .addColumn("posted_at", "text")
    .addUniqueConstraint("digests_channel_date", ["channel_id", "local_date"])
    .execute();

  await db.schema
    .createTable("answers")
    .addColumn("round_id", "text", (c) => c.notNull().references("rounds.id"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("choice", "integer", (c) => c.notNull())
    .addColumn("correct", "integer", (c) => c.notNull())
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("answered_at", "text", (c) => c.notNull())
    .addColumn("local_date", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("answers_pk", ["round_id", "member_id"])
    .execute();
  await db.schema.createIndex("answers_workspace_date").on("answers").columns(["workspace_id", "local_date"]).execute();

  await db.schema
    .createTable("reads")
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("digest_id", "text", (c) => c.notNull().references("digests.id"))
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("read_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("reads_pk", ["member_id", "local_date"])
    .execute();
  await db.schema.createIndex("reads_workspace_date").on("reads").columns(["workspace_id", "local_date"]).execute();

  await db.schema
    .createTable("activity")
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_pk", ["member_id", "local_date"])
    .execute();
  await db.schema.createIndex("activity_workspace_date").on("activity").columns(["workspace_id", "local_date"]).execute();

  await db.schema
    .createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "meta",
    "activity",
    "reads",
    "answers",
    "digests",
    "rounds",
    "reading",
    "articles",
    "questions",
    "topics",
    "subscriptions",
    "channels",
    "members",
    "workspaces",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
