import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { chartFontFile } from "../../charts/charts.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/ports.ts";
import type { LeaderboardWindow } from "../standings/standings.ts";
import type { DashboardData } from "./dashboard.ts";
import type { DashboardGrant, DashboardLinks } from "./links.ts";
import { adminPage, fontPath, forbiddenPage, mePage, type Page, type PageFrame, teamPage, windows } from "./pages.ts";
import { dashboardStrings } from "./strings.ts";

/** A bad or expired link learns nothing: not whose it was, nor which workspace, nor why it failed. */
const refused = html`<!doctype html><html><head><meta charset="utf-8"><title>403</title></head><body><h1>403</h1>
<p>This dashboard link is not valid (expired, changed or revoked). Ask /study dashboard for a new one.</p>
<p>此看板链接无效（已过期、被修改或已撤销）。请用 /study dashboard 获取新链接。</p></body></html>`;

export type DashboardApp = Hono<{ Variables: { grant: DashboardGrant } }>;

/** The dashboard's pages under /dashboard/<token>/…, for the bot's HTTP server. */
export function dashboardRoutes(dashboard: DashboardData, links: DashboardLinks, clock: Clock, log: Logger): DashboardApp {
  const app: DashboardApp = new Hono();
  app.onError((error, c) => {
    // Hono's own refusals (the origin check) keep their status; anything else is our failure.
    if (error instanceof HTTPException) return error.getResponse();
    log.error({ err: error, path: c.req.path.replace(/^\/dashboard\/[^/]+/, "/dashboard/<token>") }, "dashboard page failed");
    return c.text("Something went wrong on our side; try again in a minute.", 500);
  });
  app.use(
    "/dashboard/*",
    secureHeaders({
      // Inline SVG charts and one inline stylesheet; no script, no frame, forms post only here.
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      // The token is in the path: no page may pass it on in a Referer.
      referrerPolicy: "no-referrer",
    }),
  );
  // The pictures' font, so that the charts read as they do in the PNGs (registered before the token check: it is public).
  let font: Buffer | undefined;
  app.get(fontPath, (c) => {
    font ??= readFileSync(chartFontFile);
    return c.body(new Uint8Array(font), 200, { "content-type": "font/ttf", "cache-control": "public, max-age=86400" });
  });
  app.use("/dashboard/:token/*", async (c, next) => {
    c.header("cache-control", "no-store");
    const grant = links.verify(c.req.param("token"), clock.now());
    if (!grant) return c.html(refused, 403);
    c.set("grant", grant);
    await next();
  });
  app.get("/dashboard/:token", (c) => c.redirect(`/dashboard/${encodeURIComponent(c.req.param("token"))}/team`, 303));

  const frame = async (token: string, grant: DashboardGrant, page: Page) => {
    const workspace = await dashboard.workspace(grant);
    const pageFrame: PageFrame = { token, grant, language: workspace.settings.language, workspaceName: workspace.name, page };
    return { workspace, pageFrame };
  };

  app.get("/dashboard/:token/team", async (c) => {
    const { workspace, pageFrame } = await frame(c.req.param("token"), c.var.grant, "team");
    const asked = c.req.query("window") ?? "week";
    if (!windows.includes(asked as LeaderboardWindow))
      return c.text(`Unknown window "${asked.slice(0, 40)}": use one of ${windows.join(", ")}.`, 400);
    const window = asked as LeaderboardWindow;
    return c.html(teamPage(pageFrame, await dashboard.team(c.var.grant, workspace.settings, window), window));
  });
  app.get("/dashboard/:token/me", async (c) => {
    const { workspace, pageFrame } = await frame(c.req.param("token"), c.var.grant, "me");
    return c.html(mePage(pageFrame, await dashboard.me(c.var.grant, workspace.settings), workspace.memberName));
  });
  app.get("/dashboard/:token/admin", async (c) => {
    const { workspace, pageFrame } = await frame(c.req.param("token"), c.var.grant, "admin");
    if (!c.var.grant.admin) return c.html(forbiddenPage(dashboardStrings(workspace.settings.language)), 403);
    const resolved = c.req.query("resolved");
    const count = Number(c.req.query("count") ?? 0);
    const s = dashboardStrings(workspace.settings.language);
    const notice = resolved === undefined ? undefined : count > 0 ? s.resolved(resolved, count) : s.nothingResolved(resolved);
    return c.html(adminPage(pageFrame, await dashboard.adminView(c.var.grant, workspace.settings), notice));
  });
  app.post(
    "/dashboard/:token/admin/reports/resolve",
    // A form from another site cannot post here, even with a leaked link; the form is one short field.
    csrf({ origin: new URL(links.baseUrl).origin }),
    bodyLimit({ maxSize: 4 * 1024, onError: (c) => c.text("The form is too large.", 413) }),
    async (c) => {
      const grant = c.var.grant;
      if (!grant.admin) return c.html(forbiddenPage(dashboardStrings((await dashboard.workspace(grant)).settings.language)), 403);
      const form = await c.req.parseBody();
      const question = typeof form.question === "string" ? form.question.trim() : "";
      if (!question || question.length > 200) return c.text("The form needs the question's id.", 400);
      const count = await dashboard.resolveReports(grant, question);
      const query = new URLSearchParams({ resolved: question, count: String(count) });
      return c.redirect(`/dashboard/${encodeURIComponent(c.req.param("token"))}/admin?${query}`, 303);
    },
  );
  return app;
}
