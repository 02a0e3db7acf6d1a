import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

const root = fileURLToPath(new URL("../..", import.meta.url));

/** One real PostgreSQL server for the whole run, in a child process (see postgres-server.ts); each test gets its own database. */
export default async function setup(project: TestProject) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/setup/postgres-server.ts"], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout }), "line"),
    once(child, "exit").then(([code]) => {
      throw new Error(`embedded PostgreSQL's process exited with ${code} before it was ready`);
    }),
  ])) as [string];
  project.provide("postgresAdminUrl", (JSON.parse(line) as { adminUrl: string }).adminUrl);
  return async () => {
    const exited = once(child, "exit");
    child.stdin.end();
    await exited;
  };
}
