import type { Compilable, CompiledQuery, QueryResult } from "kysely";
import { type Db, runCompiled } from "./database.ts";

type Slot<K> = { key: K } | { value: unknown };

/**
 * A query built and compiled once per dialect, then run with new values. For the statements of a click, kysely's
 * building and compiling took longer than SQLite's own work (npm run bench). The builder gets a placeholder for each
 * named value; the compiled parameters are mapped back to the names, so the order kysely binds them in never matters.
 */
export function precompile<K extends string, R>(
  keys: readonly K[],
  build: (db: Db, values: Record<K, never>) => Compilable<R>,
): (db: Db, values: Record<K, unknown>) => Promise<QueryResult<R>> {
  const byDialect = new Map<unknown, { query: CompiledQuery<R>; slots: Slot<K>[] }>();
  return (db, values) => {
    const dialect = db.getExecutor().adapter.constructor;
    let entry = byDialect.get(dialect);
    if (!entry) {
      const placeholders = Object.fromEntries(keys.map((key) => [key, placeholder(key)])) as Record<K, never>;
      const query = build(db, placeholders).compile();
      const slots = query.parameters.map((p): Slot<K> => {
        const key = keys.find((k) => placeholder(k) === p);
        return key === undefined ? { value: p } : { key };
      });
      entry = { query, slots };
      byDialect.set(dialect, entry);
    }
    const parameters = new Array<unknown>(entry.slots.length);
    for (let i = 0; i < parameters.length; i++) {
      const slot = entry.slots[i] as Slot<K>;
      parameters[i] = "key" in slot ? values[slot.key] : slot.value;
    }
    return runCompiled(db, entry.query, parameters);
  };
}

const placeholder = (key: string) => `\u0000${key}\u0000`;
