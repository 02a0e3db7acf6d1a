import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { defaultHttpLimits } from "../src/web/http-limits.ts";

const key = Buffer.alloc(32, 1).toString("base64");

describe("config", () => {
  it("has working defaults with an empty environment", () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: "./data/study-bot.sqlite",
      timezone: "UTC",
      language: "en",
      logLevel: undefined,
      admins: [],
      port: 3000,
      host: "0.0.0.0",
      slack: undefined,
      discord: undefined,
      claimStaleMs: 120_000,
      shutdownMs: 10_000,
      sqliteSynchronous: "full",
      // The adapter's own defaults, for harnesses that build it without a config, are the same.
      http: defaultHttpLimits,
      secrets: undefined,
    });
    expect(defaultHttpLimits).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 15_000, maxConnections: 1000, bodyLimitBytes: 65_536 });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ STUDY_TIMEZONE: "", LOG_LEVEL: "" }).timezone).toBe("UTC");
  });

  it.each([
    [{ STUDY_TIMEZONE: "Mars/Base" }, "STUDY_TIMEZONE: 'Mars/Base' is not an IANA timezone (e.g. Asia/Shanghai)"],
    [{ STUDY_LANGUAGE: "fr" }, "STUDY_LANGUAGE: must be en or zh"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent"],
    [{ PORT: "http" }, "PORT: must be a port number"],
    [{ STUDY_SHUTDOWN_SECONDS: "-1" }, "STUDY_SHUTDOWN_SECONDS: must be a number of seconds"],
    [{ SLACK_STATE_SECRET: "short" }, "SLACK_STATE_SECRET: must be at least 32 characters (for example: openssl rand -hex 32)"],
    [{ HTTP_MAX_CONNECTIONS: "many" }, "HTTP_MAX_CONNECTIONS: must be a whole number"],
    [{ SQLITE_SYNCHRONOUS: "off" }, "SQLITE_SYNCHRONOUS: must be full or normal"],
    [{ HTTP_BODY_LIMIT_KB: "0" }, "HTTP_BODY_LIMIT_KB: must be at least 1"],
    [{ DISCORD_GUILD_ID: "123456789012345678" }, "DISCORD_GUILD_ID: needs DISCORD_TOKEN as well"],
    [{ DISCORD_TOKEN: "t", DISCORD_GUILD_ID: "general" }, "DISCORD_GUILD_ID: must be a guild id (a number)"],
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, "SLACK_SIGNING_SECRET: is required when Slack is configured"],
    [{ SLACK_BOT_TOKEN: "abc", SLACK_SIGNING_SECRET: "s" }, "SLACK_BOT_TOKEN: must be a bot token (xoxb-...)"],
    [{ SLACK_APP_TOKEN: "xapp-1" }, "SLACK_APP_TOKEN: needs SLACK_BOT_TOKEN (or the OAuth variables) as well"],
    [
      { SLACK_CLIENT_ID: "1.2", SLACK_SIGNING_SECRET: "s" },
      "SLACK_CLIENT_ID: OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together",
    ],
    [
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_CLIENT_ID: "1.2", SLACK_SIGNING_SECRET: "s" },
      "SLACK_BOT_TOKEN: set either it (one workspace) or SLACK_CLIENT_ID/SECRET/STATE_SECRET (OAuth installs), not both",
    ],
    [
      { STUDY_SECRETS_KEY: "0123456789abcdef0123456789abcdef" },
      "STUDY_SECRETS_KEY: must be 32 random bytes in base64, 44 characters (make one with: openssl rand -base64 32)",
    ],
    [
      { STUDY_SECRETS_KEY: Buffer.alloc(31, 7).toString("base64") },
      "STUDY_SECRETS_KEY: must be 32 random bytes in base64, 44 characters (make one with: openssl rand -base64 32)",
    ],
    [
      { STUDY_SECRETS_KEY: key, STUDY_SECRETS_KEY_PREVIOUS: "old" },
      "STUDY_SECRETS_KEY_PREVIOUS: must be 32 random bytes in base64, 44 characters (make one with: openssl rand -base64 32)",
    ],
    [{ STUDY_SECRETS_KEY_PREVIOUS: key }, "STUDY_SECRETS_KEY_PREVIOUS: needs STUDY_SECRETS_KEY (the new key) as well"],
  ])("stops on %o with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("reads a Slack setup and the admin list", () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      SLACK_APP_TOKEN: "xapp-1",
      STUDY_ADMINS: "U1, U2",
      PORT: "8080",
    });
    expect(config.slack).toEqual({ signingSecret: "s", botToken: "xoxb-1", appToken: "xapp-1", oauth: undefined, apiUrl: undefined });
    expect(config.admins).toEqual(["U1", "U2"]);
    expect(config.port).toBe(8080);
  });

  it("reads the secrets key and the previous one as 32 bytes each", () => {
    const previous = Buffer.alloc(32, 2).toString("base64");
    expect(loadConfig({ STUDY_SECRETS_KEY: key }).secrets).toEqual({ key: Buffer.alloc(32, 1), previous: undefined });
    expect(loadConfig({ STUDY_SECRETS_KEY: key, STUDY_SECRETS_KEY_PREVIOUS: previous }).secrets).toEqual({
      key: Buffer.alloc(32, 1),
      previous: Buffer.alloc(32, 2),
    });
  });

  it("freezes the result", () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
