import { existsSync } from "node:fs";
import { z } from "zod";
import { isValidTimezone } from "./core/local-time.ts";
import type { SecretKeys } from "./store/secrets.ts";

// 32 bytes in base64: 43 characters and one "=".
const secretsKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 random bytes in base64, 44 characters (make one with: openssl rand -base64 32)");

const seconds = z.coerce.number({ message: "must be a number of seconds" }).positive("must be a number of seconds");

const schema = z.object({
  DATABASE_URL: z.string().min(1, "must not be empty").default("./data/study-bot.sqlite"),
  STUDY_TIMEZONE: z
    .string()
    .default("UTC")
    .refine(isValidTimezone, { error: (issue) => `'${String(issue.input)}' is not an IANA timezone (e.g. Asia/Shanghai)` }),
  STUDY_LANGUAGE: z.enum(["en", "zh"], { message: "must be en or zh" }).default("en"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .optional(),
  STUDY_ADMINS: z.string().default(""),
  PORT: z.coerce
    .number({ message: "must be a port number" })
    .int("must be a port number")
    .min(0)
    .max(65535, "must be a port number")
    .default(3000),
  HOST: z.string().default("0.0.0.0"),
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "must be a bot token (xoxb-...)").optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().startsWith("xapp-", "must be an app-level token (xapp-...)").optional(),
  SLACK_CLIENT_ID: z.string().optional(),
  SLACK_CLIENT_SECRET: z.string().optional(),
  // It signs the OAuth state: a short one could be guessed.
  SLACK_STATE_SECRET: z.string().min(32, "must be at least 32 characters (for example: openssl rand -hex 32)").optional(),
  SLACK_API_URL: z.string().url("must be a URL").optional(),
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_GUILD_ID: z
    .string()
    .regex(/^\d{15,21}$/, "must be a guild id (a number)")
    .optional(),
  DISCORD_API_URL: z.string().url("must be a URL").optional(),
  STUDY_CLAIM_STALE_SECONDS: z.coerce.number({ message: "must be a number of seconds" }).int().min(1).default(120),
  STUDY_SHUTDOWN_SECONDS: seconds.default(10),
  STUDY_SECRETS_KEY: secretsKey.optional(),
  STUDY_SECRETS_KEY_PREVIOUS: secretsKey.optional(),
  HTTP_HEADERS_TIMEOUT_SECONDS: seconds.default(10),
  HTTP_REQUEST_TIMEOUT_SECONDS: seconds.default(15),
  HTTP_MAX_CONNECTIONS: z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .default(1000),
  SQLITE_SYNCHRONOUS: z.enum(["full", "normal"], { message: "must be full or normal" }).default("full"),
  DASHBOARD_URL: z.string().url("must be the bot's public base URL (e.g. https://study-bot.example.com)").optional(),
  // It signs the dashboard links: a short one could be guessed.
  DASHBOARD_SECRET: z.string().min(32, "must be at least 32 characters (for example: openssl rand -hex 32)").optional(),
  HTTP_BODY_LIMIT_KB: z.coerce
    .number({ message: "must be a number of KB" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .default(64),
});

type Env = z.infer<typeof schema>;

/** Cross-variable rules: which combinations make a working Slack setup. */
function slackProblem(env: Env): [string, string] | undefined {
  const oauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
  const anyOauth = oauth.some((v) => v !== undefined);
  if (!env.SLACK_BOT_TOKEN && !anyOauth) {
    return env.SLACK_APP_TOKEN ? ["SLACK_APP_TOKEN", "needs SLACK_BOT_TOKEN (or the OAuth variables) as well"] : undefined;
  }
  if (!env.SLACK_SIGNING_SECRET) return ["SLACK_SIGNING_SECRET", "is required when Slack is configured"];
  if (anyOauth && env.SLACK_BOT_TOKEN)
    return ["SLACK_BOT_TOKEN", "set either it (one workspace) or SLACK_CLIENT_ID/SECRET/STATE_SECRET (OAuth installs), not both"];
  if (anyOauth && !oauth.every((v) => v !== undefined))
    return ["SLACK_CLIENT_ID", "OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together"];
  return undefined;
}

export interface SlackConfig {
  signingSecret: string;
  botToken?: string;
  appToken?: string;
  oauth?: { clientId: string; clientSecret: string; stateSecret: string };
  apiUrl?: string;
}

export type Config = Readonly<{
  databaseUrl: string;
  timezone: string;
  language: "en" | "zh";
  logLevel: string | undefined;
  /** Platform user ids treated as admins everywhere. */
  admins: readonly string[];
  port: number;
  host: string;
  slack: SlackConfig | undefined;
  discord: { token: string; guildId?: string; apiUrl?: string } | undefined;
  /** How long a claimed but unconfirmed post waits before another pass reconciles it. */
  claimStaleMs: number;
  /** The most a shutdown may take: then open connections are cut and the process exits. */
  shutdownMs: number;
  sqliteSynchronous: "full" | "normal";
  http: HttpLimits;
  /** The web dashboard: the bot's public base URL and the secret that signs its links; undefined: off. */
  dashboard: { url: string; secret: string } | undefined;
  /** Encrypts the Slack installations (their tokens) in the database; undefined: they are stored in plain text. */
  secrets: SecretKeys | undefined;
}>;

/** The HTTP server's limits against slow or greedy clients (Slack HTTP mode, /healthz, /metrics). */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  bodyLimitBytes: number;
}

/** A bad environment: main prints the one line and exits. */
export class ConfigError extends Error {}

/** Reads and validates the environment once; `.env` in the working directory fills in what is unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = ".env"): Config {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  // An empty value means unset, as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? "environment")}: ${issue?.message ?? "invalid"}`);
  }
  const data = parsed.data;
  const problem =
    slackProblem(data) ??
    (!data.DISCORD_TOKEN && data.DISCORD_GUILD_ID
      ? (["DISCORD_GUILD_ID", "needs DISCORD_TOKEN as well"] as [string, string])
      : undefined) ??
    (data.DASHBOARD_URL && !data.DASHBOARD_SECRET
      ? (["DASHBOARD_SECRET", "is required when DASHBOARD_URL is set (for example: openssl rand -hex 32)"] as [string, string])
      : undefined) ??
    (!data.STUDY_SECRETS_KEY && data.STUDY_SECRETS_KEY_PREVIOUS
      ? (["STUDY_SECRETS_KEY_PREVIOUS", "needs STUDY_SECRETS_KEY (the new key) as well"] as [string, string])
      : undefined);
  if (problem) throw new ConfigError(`${problem[0]}: ${problem[1]}`);
  const slackOn = Boolean(data.SLACK_BOT_TOKEN || data.SLACK_CLIENT_ID);
  return Object.freeze({
    databaseUrl: data.DATABASE_URL,
    timezone: data.STUDY_TIMEZONE,
    language: data.STUDY_LANGUAGE,
    logLevel: data.LOG_LEVEL,
    admins: data.STUDY_ADMINS.split(",")
      .map((id) => id.trim())
      .filter(Boolean),
    port: data.PORT,
    host: data.HOST,
    slack: slackOn
      ? {
          signingSecret: data.SLACK_SIGNING_SECRET as string,
          botToken: data.SLACK_BOT_TOKEN,
          appToken: data.SLACK_APP_TOKEN,
          oauth: data.SLACK_CLIENT_ID
            ? {
                clientId: data.SLACK_CLIENT_ID,
                clientSecret: data.SLACK_CLIENT_SECRET as string,
                stateSecret: data.SLACK_STATE_SECRET as string,
              }
            : undefined,
          apiUrl: data.SLACK_API_URL,
        }
      : undefined,
    discord: data.DISCORD_TOKEN ? { token: data.DISCORD_TOKEN, guildId: data.DISCORD_GUILD_ID, apiUrl: data.DISCORD_API_URL } : undefined,
    claimStaleMs: data.STUDY_CLAIM_STALE_SECONDS * 1000,
    shutdownMs: data.STUDY_SHUTDOWN_SECONDS * 1000,
    sqliteSynchronous: data.SQLITE_SYNCHRONOUS,
    http: {
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeoutMs: Math.min(data.HTTP_HEADERS_TIMEOUT_SECONDS, data.HTTP_REQUEST_TIMEOUT_SECONDS) * 1000,
      requestTimeoutMs: data.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      maxConnections: data.HTTP_MAX_CONNECTIONS,
      bodyLimitBytes: data.HTTP_BODY_LIMIT_KB * 1024,
    },
    dashboard: data.DASHBOARD_URL ? { url: data.DASHBOARD_URL, secret: data.DASHBOARD_SECRET as string } : undefined,
    secrets: data.STUDY_SECRETS_KEY
      ? {
          key: Buffer.from(data.STUDY_SECRETS_KEY, "base64"),
          previous: data.STUDY_SECRETS_KEY_PREVIOUS ? Buffer.from(data.STUDY_SECRETS_KEY_PREVIOUS, "base64") : undefined,
        }
      : undefined,
  });
}
