import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SqliteDatabase from "better-sqlite3";

/** SQLite's own default: the log length at which a commit checkpoints. */
const inlineFrames = 1000;
/**
 * While the thread runs, the process's connection checkpoints only past this many frames: a backstop that bounds the
 * log (about 16 MB at 4 KB pages) when writes never pause long enough for the thread to finish a pass.
 */
const backstopFrames = 4000;

// Plain JavaScript evaluated in the thread, so it runs the same from sources, the bundle and the tests.
const threadSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
// A checkpoint reads the log's frames directly: the connection's page cache would only hold memory.
db.pragma("cache_size = 16");
let timer;
const pass = () => {
  let behind = false;
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    behind = result.log > result.checkpointed;
  } catch {}
  timer = setTimeout(pass, behind ? workerData.busyMs : workerData.idleMs);
};
parentPort.on("message", () => {
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
pass();
`;

/**
 * Checkpoints a SQLite file in WAL mode on a thread of its own. A checkpoint copies the log's pages into the database
 * and syncs both files; run by a commit, it held the event loop for those syncs: half the commit time of a 10,000-channel
 * fan-out (npm run bench). The connection's own checkpoint stays as a backstop, and takes over if the thread stops.
 * Returns what closes the thread's connection.
 */
export function startCheckpointer(sqlite: SqliteDatabase.Database, path: string): () => void {
  const require = createRequire(import.meta.url);
  const worker = new Worker(threadSource, {
    eval: true,
    workerData: { module: require.resolve("better-sqlite3"), path, busyMs: 5, idleMs: 50 },
    // The thread allocates little: small heaps keep its share of the process's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  worker.unref();
  sqlite.pragma(`wal_autocheckpoint = ${backstopFrames}`);
  let stopped = false;
  const fallBack = () => {
    if (!stopped && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${inlineFrames}`);
  };
  worker.on("error", fallBack);
  worker.on("exit", fallBack);
  return () => {
    stopped = true;
    worker.postMessage("stop");
  };
}
