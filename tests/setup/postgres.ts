import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../helpers/embedded-postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

/** One real PostgreSQL server for the whole run; each test gets its own database. */
export default async function setup(project: TestProject) {
  const server = await startEmbeddedPostgres();
  project.provide("postgresAdminUrl", server.adminUrl);
  return server.stop;
}
