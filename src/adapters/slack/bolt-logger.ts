import { LogLevel } from "@slack/web-api";
import type { Logger } from "../../core/ports.ts";

/** Bolt's logger interface over the bot's logger. */
export function boltLogger(log: Logger) {
  let level = LogLevel.INFO;
  const text = (args: unknown[]) => args.map(String).join(" ");
  return {
    debug: () => {},
    info: (...args: unknown[]) => log.info({ source: "bolt" }, text(args)),
    warn: (...args: unknown[]) => log.warn({ source: "bolt" }, text(args)),
    error: (...args: unknown[]) => log.error({ source: "bolt" }, text(args)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
