import { sql } from "kysely";
import type { Db } from "../../src/store/database.ts";

/** Every row of every table in the database, read from its catalogue (so a table added later is read too), as JSON. */
export async function allRows(db: Db, dialect: string): Promise<Map<string, string[]>> {
  const tables =
    dialect === "sqlite"
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
          db,
        );
  const rows = new Map<string, string[]>();
  for (const { name } of tables.rows) {
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    rows.set(
      name,
      result.rows.map((row) => JSON.stringify(row)),
    );
  }
  return rows;
}

/** The rows (as `table: json`) that contain `needle` anywhere. */
export const mentioning = (rows: Map<string, string[]>, needle: string) =>
  [...rows].flatMap(([table, lines]) => lines.filter((line) => line.includes(needle)).map((line) => `${table}: ${line}`));
