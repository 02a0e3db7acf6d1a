import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { type Db, migrateToLatest, openDatabase } from "../../src/store/database.ts";

export type Dialect = "sqlite" | "postgres";

/** Every store-touching test runs on both. */
export const dialects: Dialect[] = ["sqlite", "postgres"];

const opened: Db[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

/** A URL for a brand-new empty database: an in-memory SQLite, or a fresh database on the test PostgreSQL server. */
export async function freshDatabaseUrl(dialect: Dialect, sqlitePath = ":memory:"): Promise<string> {
  if (dialect === "sqlite") return sqlitePath;
  const admin = inject("postgresAdminUrl");
  const name = `t_${randomUUID().replace(/-/g, "")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  return admin.replace(/\/postgres$/, `/${name}`);
}

/** An empty, migrated database of the dialect, closed after the test file. */
export async function migratedDatabase(dialect: Dialect, sqlitePath?: string): Promise<Db> {
  const db = openDatabase(await freshDatabaseUrl(dialect, sqlitePath));
  opened.push(db);
  await migrateToLatest(db);
  return db;
}
