import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type Migration,
  Migrator,
  PostgresDialect,
  type QueryResult,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  sql,
} from "kysely";
import { migrations } from "../../migrations/index.ts";
import { Gate } from "../core/gate.ts";
import { DatabaseBusyError, type Logger } from "../core/ports.ts";
import { startCheckpointer } from "./checkpointer.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;

/** A failure the operator can fix; main prints its message without a stack trace. */
export class StartupError extends Error {}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

const require = createRequire(import.meta.url);

/**
 * SQLite's durability in WAL mode. FULL syncs the WAL at every commit, so a commit the bot acted on (a digest claim, a
 * post's record) survives a power loss; NORMAL can lose the last commits then, though never corrupts the file.
 */
export type SqliteSynchronous = "full" | "normal";

/** Opens the database named by DATABASE_URL (a SQLite path or a postgres:// URL): the one place the dialect is chosen. */
export function openDatabase(url: string, options: { synchronous?: SqliteSynchronous } = {}): Db {
  if (isPostgresUrl(url)) {
    // The driver loads only for PostgreSQL: a SQLite process is spared its memory.
    const pg: typeof import("pg") = require("pg");
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle client that loses its server (restart, failover) emits here; the pool replaces it on next use.
    pool.on("error", () => {});
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const sqlite = openSqlite(url, options.synchronous ?? "full");
  const stopCheckpointer = url === ":memory:" ? undefined : startCheckpointer(sqlite, url);
  return new Kysely<Database>({ dialect: new DirectSqliteDialect(withStatementCache(sqlite, stopCheckpointer)) });
}

/** SQLite's dialect with an adapter that carries the database's prepared statements, for runCompiled. */
class DirectSqliteDialect extends SqliteDialect {
  constructor(private readonly statements: ReturnType<typeof withStatementCache>) {
    super({ database: statements });
  }

  override createAdapter(): SqliteAdapter {
    return new DirectSqliteAdapter(this.statements);
  }

  override createDriver(): Driver {
    return new QueuedSqliteDriver(this.statements);
  }
}

/**
 * SQLite's own busy wait blocks the event loop, and twenty requests each blocking in turn add up to seconds: an attempt
 * does not wait at all, and waiting happens between attempts, asynchronously.
 */
const busyTimeoutMs = 0;
/** How long a statement or transaction keeps retrying (without blocking) before its request is told the database is busy. */
const busyBudgetMs = 5000;
const isBusy = (error: unknown) => String((error as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY");
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SQLite's one connection handed to waiting queries in turn. Kysely's own lock wakes every waiter at each release and
 * all but one wait again: with a thousand clicks in flight, as in npm run bench's discord-gateway, that was 15% of the
 * answer path's allocations. Here a release hands the connection to the next waiter alone.
 *
 * When another process holds the write lock (`digest run-due`, a backup), a statement outside a transaction, or a
 * transaction's BEGIN IMMEDIATE, waits for it asynchronously: it hands the connection on while it sleeps, so the
 * process keeps serving, and after busyBudgetMs its request gets DatabaseBusyError.
 */
class QueuedSqliteDriver extends SqliteDriver {
  private readonly turn = new Gate(1);

  constructor(private readonly statements: ReturnType<typeof withStatementCache>) {
    super({ database: statements });
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.holdTurn();
    const connection = await super.acquireConnection();
    return {
      executeQuery: (query) => this.untilFree(() => connection.executeQuery(query)),
      streamQuery: (q, c) => connection.streamQuery(q, c),
    };
  }

  override async releaseConnection(): Promise<void> {
    await this.releaseTurn();
  }

  // The write lock is taken at BEGIN, where waiting for it is safe, rather than at a transaction's first write.
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  private async holdTurn(): Promise<void> {
    // Never waits on kysely's mutex: only the holder of the turn gets there.
    await this.turn.acquire();
  }

  private async releaseTurn(): Promise<void> {
    await super.releaseConnection();
    this.turn.release();
  }

  private async untilFree<T>(run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      try {
        return await run();
      } catch (error) {
        if (!isBusy(error)) throw error;
        // Inside a transaction the statement cannot simply run again; nor past the budget.
        if (this.statements.inTransaction() || Date.now() - started + delay > busyBudgetMs) throw new DatabaseBusyError();
        // No transaction is open on the connection: let the queries waiting for it run meanwhile.
        await this.releaseTurn();
        await pause(delay);
        await this.holdTurn();
        await super.acquireConnection();
      }
    }
  }
}

class DirectSqliteAdapter extends SqliteAdapter {
  constructor(readonly statements: ReturnType<typeof withStatementCache>) {
    super();
  }

  // SQLite runs CREATE, ALTER and DROP inside transactions; kysely's adapter says no only because some dialects cannot,
  // and its migrator then ran each migration bare: a crash halfway left a half-made schema that failed every later start.
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Runs a compiled query with these parameters. On SQLite it runs straight on the connection when that is safe: inside
 * a transaction, which holds the connection until it ends, or outside one while no transaction is open, when the
 * statement is its own. Kysely's executor, connection provider and queueing took a quarter of an answer's time
 * (npm run bench, answers). Otherwise (PostgreSQL, another transaction open, plugins that could rewrite results)
 * kysely runs it.
 */
export function runCompiled<R>(db: Db, query: CompiledQuery<R>, parameters: readonly unknown[]): Promise<QueryResult<R>> {
  const executor = db.getExecutor();
  const adapter = executor.adapter;
  if (
    !(adapter instanceof DirectSqliteAdapter) ||
    executor.plugins.length > 0 ||
    (!db.isTransaction && adapter.statements.inTransaction())
  ) {
    return db.executeQuery({ ...query, parameters });
  }
  try {
    const statement = adapter.statements.prepare(query.sql);
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    return Promise.resolve({ rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) });
  } catch (error) {
    // Another process holds the write lock: kysely's path waits for it without blocking.
    if (isBusy(error) && !db.isTransaction) return db.executeQuery({ ...query, parameters });
    return Promise.reject(error);
  }
}

const statementCacheSize = 500;

/**
 * Kysely prepares every query anew; reusing prepared statements by SQL text cut the answer path's database time
 * several fold (npm run bench). Kysely never streams here, so a cached statement is never busy when reused.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, beforeClose?: () => void) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  let probe: SqliteDatabase.Database | undefined;
  return {
    close: () => {
      beforeClose?.();
      probe?.close();
      sqlite.close();
    },
    inTransaction: () => sqlite.inTransaction,
    /** True when the write lock can be had now (probed on a second connection, so never queued behind requests). */
    writeLockFree(): boolean {
      if (sqlite.memory) return true;
      probe ??= new SqliteDatabase(sqlite.name, { timeout: 0 });
      try {
        probe.exec("BEGIN IMMEDIATE; ROLLBACK;");
        return true;
      } catch (error) {
        if (isBusy(error)) return false;
        throw error;
      }
    },
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) {
        // Re-inserting keeps the map in least-recently-used order.
        statements.delete(text);
      } else {
        statement = sqlite.prepare(text);
        if (statements.size >= statementCacheSize) statements.delete(statements.keys().next().value as string);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

/**
 * What /healthz says of the database: reachable, busy (SQLite's write lock held elsewhere for a fifth of a second:
 * requests wait, then are told to try again), or unreachable.
 */
export async function databaseHealth(db: Db): Promise<"reachable" | "busy" | "unreachable"> {
  const adapter = db.getExecutor().adapter;
  if (!(adapter instanceof DirectSqliteAdapter)) {
    return sql`select 1`.execute(db).then(
      () => "reachable",
      () => "unreachable",
    );
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (adapter.statements.writeLockFree()) return "reachable";
      await pause(100);
    }
    return "busy";
  } catch {
    return "unreachable";
  }
}

/** Checks that the database answers, turning a connection failure into one clear line. */
export async function checkConnection(db: Db, url: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    const where = isPostgresUrl(url) ? url.replace(/\/\/[^@/]*@/, "//***@") : url;
    throw new StartupError(`cannot reach the database ${where}: ${(error as Error).message}`);
  }
}

function openSqlite(path: string, synchronous: SqliteSynchronous): SqliteDatabase.Database {
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    sqlite = new SqliteDatabase(path);
    if (path !== ":memory:") makePrivate(path);
    sqlite.pragma("journal_mode = WAL");
    // Start-up may wait for another process's write lock; requests later wait without blocking (QueuedSqliteDriver).
    sqlite.pragma(`busy_timeout = ${busyBudgetMs}`);
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma(`synchronous = ${synchronous}`);
    // A write probe now, so a read-only file fails at start instead of at the first answer.
    sqlite.exec("BEGIN IMMEDIATE; ROLLBACK;");
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw new StartupError(`cannot open the database ${path}: ${describeSqliteError(error)}`);
  }
}

/**
 * The database holds Slack installation tokens: owner-only. SQLite creates the -wal and -shm files later with the
 * database file's own mode, so a private main file keeps them private too; files an older version left readable are
 * tightened here.
 */
function makePrivate(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

function describeSqliteError(error: unknown): string {
  const code = (error as { code?: string }).code ?? "";
  if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) {
    return "the file is not a valid SQLite database (corrupt, or another kind of file)";
  }
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code === "EACCES" || code === "EROFS") {
    return "the file or its folder is not writable";
  }
  if (code === "ENOTDIR" || code === "EEXIST") return "part of the path is a file, not a folder";
  if (code === "ENOENT") return "its folder does not exist";
  return (error as Error).message;
}

/**
 * Applies every pending migration, each in a transaction of its own with its row in kysely_migration: one that fails
 * leaves the database as it was before it, and the ones before it stay applied. A SQLite file that holds tables is
 * copied beside itself first (`<file>.before-<first pending migration>.sqlite`, logged). Returns the names applied.
 * Tests pass their own list.
 */
export async function migrateToLatest(
  db: Db,
  options: { migrations?: Record<string, Migration>; log?: Pick<Logger, "info"> } = {},
): Promise<string[]> {
  const list = options.migrations ?? migrations;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => list } });
  const firstPending = (await migrator.getMigrations()).find((m) => !m.executedAt);
  if (firstPending) await snapshotBeforeMigrating(db, firstPending.name, options.log);
  const applied: string[] = [];
  // Kysely's migrateToLatest runs them all in one transaction, so one failure would undo the ones that worked.
  for (;;) {
    const { error, results = [] } = await migrator.migrateUp();
    if (error) {
      const failed = results.find((r) => r.status === "Error")?.migrationName;
      throw new StartupError(`${failed ? `migration ${failed}` : "migrations"} failed: ${(error as Error).message}`);
    }
    if (results.length === 0) return applied;
    applied.push(...results.map((r) => r.migrationName));
  }
}

async function snapshotBeforeMigrating(db: Db, migrationName: string, log: Pick<Logger, "info"> | undefined): Promise<void> {
  if (!(db.getExecutor().adapter instanceof DirectSqliteAdapter)) return;
  const { rows: files } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db);
  const { rows: tables } = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table'`.execute(db);
  // An in-memory database has no file to keep; an empty one nothing worth a copy.
  const file = files[0]?.file;
  if (!file || !tables[0]?.n) return;
  const snapshot = `${file}.before-${migrationName}.sqlite`;
  if (existsSync(snapshot)) {
    // Left by an earlier attempt at the same migration, which failed and so changed nothing: still the state before it.
    log?.info({ snapshot }, `the copy of the database from before ${migrationName} is at ${snapshot}`);
    return;
  }
  await writePrivateCopy(snapshot, (tmp) => sql`vacuum into ${tmp}`.execute(db));
  log?.info({ snapshot }, `copied the database to ${snapshot} before migrating; delete it once the new version runs well`);
}

/**
 * A consistent copy of a SQLite database at `target`, owner-only, through `vacuumInto` (VACUUM INTO: one read
 * transaction, so writers go on meanwhile, and one self-contained file with no -wal). Written under a temporary name
 * and renamed, so a copy cut short is never taken for a whole one.
 */
async function writePrivateCopy(target: string, vacuumInto: (file: string) => Promise<unknown> | unknown): Promise<void> {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  // VACUUM INTO takes an empty file and keeps its mode.
  closeSync(openSync(partial, "wx", 0o600));
  try {
    await vacuumInto(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
}

/** `study-bot backup <file>`: an online copy of the SQLite database, safe while the bot runs. */
export async function backupDatabase(url: string, target: string): Promise<void> {
  if (isPostgresUrl(url)) {
    throw new StartupError(
      `backup copies SQLite databases only; for PostgreSQL use pg_dump: pg_dump --format=custom --file=${target} "$DATABASE_URL"`,
    );
  }
  if (url === ":memory:") throw new StartupError("backup: DATABASE_URL is :memory:, which has no file to copy");
  if (!existsSync(url)) throw new StartupError(`backup: there is no database at ${url} (DATABASE_URL)`);
  if (existsSync(target)) throw new StartupError(`backup: ${target} already exists; name a new file`);
  let sqlite: SqliteDatabase.Database;
  try {
    sqlite = new SqliteDatabase(url, { fileMustExist: true });
  } catch (error) {
    throw new StartupError(`cannot open the database ${url}: ${describeSqliteError(error)}`);
  }
  try {
    sqlite.pragma("busy_timeout = 5000");
    await writePrivateCopy(target, (tmp) => sqlite.prepare("vacuum into ?").run(tmp));
  } catch (error) {
    throw new StartupError(`backup to ${target} failed: ${describeSqliteError(error)}`);
  } finally {
    sqlite.close();
  }
}
