import type { Kysely } from "kysely";

// An article's note (summary, takeaways and reading time in both languages) from seeds/article-notes/, as JSON.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("articles").addColumn("note", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("articles").dropColumn("note").execute();
}
