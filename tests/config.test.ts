import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("config", () => {
  it("has working defaults with an empty environment", () => {
    expect(loadConfig({})).toEqual({ databaseUrl: "./data/study-bot.sqlite", timezone: "UTC", language: "en", logLevel: undefined });
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ STUDY_TIMEZONE: "", LOG_LEVEL: "" }).timezone).toBe("UTC");
  });

  it.each([
    [{ STUDY_TIMEZONE: "Mars/Base" }, "STUDY_TIMEZONE: 'Mars/Base' is not an IANA timezone (e.g. Asia/Shanghai)"],
    [{ STUDY_LANGUAGE: "fr" }, "STUDY_LANGUAGE: must be en or zh"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent"],
  ])("stops on %o with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("freezes the result", () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
