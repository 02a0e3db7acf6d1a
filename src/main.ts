import { userInfo } from "node:os";
import { dirname } from "node:path";
import { ConsoleAdapter } from "./adapters/console/console-adapter.ts";
import type { Config } from "./config.ts";
import { seedDatabase } from "./content/seed.ts";
import { systemClock } from "./core/clock.ts";
import type { ChatAdapter, EventSink, Logger } from "./core/ports.ts";
import { DashboardLinks } from "./features/dashboard/links.ts";
import { createLogger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { Scheduler } from "./scheduler/scheduler.ts";
import { checkConnection, type Db, isPostgresUrl, migrateToLatest, openDatabase } from "./store/database.ts";
import { getMeta, setMeta } from "./store/meta.repository.ts";
import { encryptSlackInstallations, eventHandled, markEventHandled, slackInstallationStore } from "./store/slack.repository.ts";
import { StudyBot } from "./study-bot.ts";
import { WebServer } from "./web/http-server.ts";
import { type WebRoutes, webRoutes } from "./web/web-app.ts";

/** The local user for the console: $USER, else the OS account, else "you". */
function consoleUser(): string {
  if (process.env.USER) return process.env.USER;
  try {
    return userInfo().username || "you";
  } catch {
    return "you";
  }
}

/** The console's pictures go beside a SQLite file, or into ./data. */
function imageDir(config: Config): string {
  return isPostgresUrl(config.databaseUrl) || config.databaseUrl === ":memory:" ? "./data" : dirname(config.databaseUrl);
}

/** The configured platform adapters; each SDK is loaded only when its platform is configured, so the console starts fast. */
async function platformAdapters(config: Config, db: Db, web: WebRoutes | undefined, log: Logger): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (config.slack) {
    const { SlackAdapter } = await import("./adapters/slack/slack-adapter.ts");
    const slack = config.slack;
    adapters.push(
      new SlackAdapter({
        signingSecret: slack.signingSecret,
        botToken: slack.botToken,
        appToken: slack.appToken,
        oauth: slack.oauth && { ...slack.oauth, installationStore: slackInstallationStore(db, config.secrets) },
        port: config.port,
        host: config.host,
        apiUrl: slack.apiUrl,
        admins: new Set(config.admins),
        log,
        web,
        events: {
          handled: (eventId) => eventHandled(db, eventId),
          markHandled: (eventId) => markEventHandled(db, eventId, systemClock.now()),
        },
        language: config.language,
        http: config.http,
        // Half the shutdown deadline for requests in flight, the rest for the scheduler, settling and the database.
        drainMs: config.shutdownMs / 2,
      }),
    );
  }
  if (config.discord) {
    const { DiscordAdapter } = await import("./adapters/discord/discord-adapter.ts");
    adapters.push(
      new DiscordAdapter({
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        guildId: config.discord.guildId,
        registry: { get: (key) => getMeta(db, key), set: (key, value) => setMeta(db, key, value) },
        log,
        language: config.language,
      }),
    );
  }
  return adapters;
}

/** Database opened, checked, migrated and seeded; then the core on top of it. */
async function openCore(config: Config, log: Logger) {
  const db = openDatabase(config.databaseUrl, { synchronous: config.sqliteSynchronous });
  await checkConnection(db, config.databaseUrl);
  try {
    await migrateToLatest(db, { log });
    if (config.secrets) {
      const rewritten = await encryptSlackInstallations(db, config.secrets);
      if (rewritten > 0) log.info({ rewritten }, `encrypted ${rewritten} Slack installation(s) with STUDY_SECRETS_KEY`);
    }
    await seedDatabase(db, systemClock.now(), { onlyIfChanged: true });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const bot = new StudyBot({
    db,
    dashboard: config.dashboard && new DashboardLinks(config.dashboard.url, config.dashboard.secret),
    clock: systemClock,
    defaults: { timezone: config.timezone, language: config.language },
    log,
    staleClaimMs: config.claimStaleMs,
  });
  return { db, bot };
}

/**
 * One pass of the minute job, then exit (for an external cron or a Kubernetes CronJob): no port, no gateway,
 * only the platforms' web APIs. Safe beside a running bot: the database claims decide who posts.
 */
export async function runDueOnce(config: Config): Promise<number> {
  const log = createLogger(config.logLevel ?? "warn");
  const { db, bot } = await openCore(config, log);
  const adapters = await platformAdapters(config, db, undefined, log);
  if (adapters.length === 0)
    adapters.push(
      new ConsoleAdapter({
        input: process.stdin,
        output: process.stdout,
        user: consoleUser(),
        interactive: false,
        imageDir: imageDir(config),
        language: config.language,
      }),
    );
  for (const adapter of adapters) bot.addAdapter(adapter);
  try {
    await bot.closeDueRounds();
    const posted = await bot.runDueDigests();
    await bot.deleteExpiredAnswers();
    await bot.settle();
    return posted;
  } finally {
    bot.stop();
    await db.destroy();
  }
}

/** Composition root: config -> database -> core -> adapters -> scheduler; resolves when the bot has shut down. */
export async function runBot(config: Config): Promise<void> {
  const consoleMode = !config.slack && !config.discord;
  const log = createLogger(config.logLevel ?? (consoleMode ? "warn" : "info"));
  const { db, bot } = await openCore(config, log);
  // Only a platform deployment has metrics: the console and `digest run-due` serve no /metrics, and prom-client's load
  // and process collectors were a quarter of the console's start-up (npm run bench, startup).
  let metrics: Metrics | undefined;
  let sink: EventSink = bot;
  if (!consoleMode) {
    const { instrument, Metrics } = await import("./metrics.ts");
    metrics = new Metrics();
    sink = instrument(bot, metrics);
  }
  const scheduler = new Scheduler(bot, db, systemClock, log);
  const terminal = consoleMode
    ? new ConsoleAdapter({
        input: process.stdin,
        output: process.stdout,
        user: consoleUser(),
        interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        imageDir: imageDir(config),
        language: config.language,
      })
    : undefined;
  const dashboard = bot.dashboardRoutes();
  // Health and metrics on a platform deployment, and the dashboard when it is on.
  const web = consoleMode && !dashboard ? undefined : webRoutes(db, metrics, dashboard);
  const adapters = terminal ? [terminal] : await platformAdapters(config, db, web, log);
  // Slack over HTTP serves these routes beside its events; any other deployment with the dashboard gets a server of its own.
  const slackServes = Boolean(config.slack && !config.slack.appToken);
  const server = web && dashboard && !slackServes ? new WebServer(web, config.http, config.shutdownMs / 2) : undefined;

  let stopping: Promise<void> | undefined;
  let stopped: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const shutdown = () => {
    if (stopping) {
      log.warn({}, "second signal: exiting now");
      process.exit(1);
    }
    // Whatever still hangs at the deadline (a stuck request, a stuck database) does not keep the process alive.
    setTimeout(() => {
      log.error({ deadlineMs: config.shutdownMs }, "shutdown deadline passed: exiting");
      process.exit(1);
    }, config.shutdownMs).unref();
    stopping = (async () => {
      log.info({}, "shutting down");
      await scheduler.stop();
      await server?.stop();
      for (const adapter of adapters) await adapter.stop();
      await bot.settle();
      bot.stop();
      await db.destroy();
      stopped();
    })();
    return stopping;
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  // discord.js turns a malformed gateway frame into an unhandled rejection inside its socket code; one bad event must not end the process.
  process.on("unhandledRejection", (reason) => {
    metrics?.unhandledRejections.inc();
    log.error({ err: reason }, "unhandled rejection (kept running)");
  });

  for (const adapter of adapters) {
    bot.addAdapter(adapter);
    await adapter.start(sink);
  }
  await server?.start(config.port, config.host);
  await scheduler.start();
  log.info({ adapters: adapters.map((a) => a.platform), port: server?.port }, "study-bot is running");
  // The console exits when its input ends; platform adapters run until a signal.
  if (terminal) await terminal.finished().then(shutdown);
  await done;
}
