import { existsSync } from "node:fs";
import { z } from "zod";
import { isValidTimezone } from "./core/local-time.ts";

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
});

export type Config = Readonly<{
  databaseUrl: string;
  timezone: string;
  language: "en" | "zh";
  logLevel: string | undefined;
}>;

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
  return Object.freeze({
    databaseUrl: parsed.data.DATABASE_URL,
    timezone: parsed.data.STUDY_TIMEZONE,
    language: parsed.data.STUDY_LANGUAGE,
    logLevel: parsed.data.LOG_LEVEL,
  });
}
