import type { RequestListener } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import type { DashboardApp } from "../features/dashboard/routes.ts";
import type { Metrics } from "../metrics.ts";
import type { Db } from "../store/database.ts";
import { databaseHealth } from "../store/database.ts";

/** What the bot serves over HTTP besides Slack's events: its paths (for Bolt's custom routes) and one listener for all. */
export interface WebRoutes {
  routes: Array<{ path: string; methods: string[] }>;
  listener: RequestListener;
}

/** GET /healthz always, GET /metrics on a platform deployment, and the dashboard when it is on. */
export function webRoutes(db: Db, metrics: Metrics | undefined, dashboard: DashboardApp | undefined): WebRoutes {
  const app = new Hono();
  const routes: WebRoutes["routes"] = [{ path: "/healthz", methods: ["GET"] }];
  app.get("/healthz", async (c) => {
    const database = await databaseHealth(db);
    // Busy is degraded, not down: the process serves, and requests wait for the lock or are told to try again.
    const status = { reachable: "ok", busy: "degraded", unreachable: "down" }[database];
    return c.json({ ok: database !== "unreachable", status, database }, database === "unreachable" ? 503 : 200);
  });
  if (metrics) {
    routes.push({ path: "/metrics", methods: ["GET"] });
    app.get("/metrics", async (c) => c.body(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType }));
  }
  if (dashboard) {
    routes.push({ path: "/dashboard{/*rest}", methods: ["GET", "POST"] });
    app.route("/", dashboard);
  }
  return { routes, listener: getRequestListener(app.fetch) };
}
