import type { Kysely } from "kysely";

// A member who chose /study privacy hide: public surfaces show them as "a member". 0 (shown) until they choose.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("members")
    .addColumn("hidden", "integer", (col) => col.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("members").dropColumn("hidden").execute();
}
