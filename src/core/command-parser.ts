import { parseDuration } from "./durations.ts";
import { type Strings, type Subcommand, usages } from "./i18n.ts";
import { isValidTimezone, parseClockTime } from "./local-time.ts";
import { parseStudyDays } from "./study-days.ts";

export type LeaderboardWindow = "week" | "month" | "all";

export type ConfigChange =
  | { key: "timezone"; value: string }
  | { key: "language"; value: "zh" | "en" }
  | { key: "study-days"; value: string }
  | { key: "quiz-duration"; value: number }
  | { key: "team-quorum"; value: number };

export type Command =
  | { name: "help" }
  | { name: "digest" }
  | { name: "quiz"; topic?: string }
  | { name: "review" }
  | { name: "streak"; member?: string }
  | { name: "leaderboard"; window: LeaderboardWindow }
  | { name: "topics"; topic?: string }
  | { name: "subscribe"; minuteOfDay: number }
  | { name: "unsubscribe" }
  | { name: "config"; change?: ConfigChange }
  | { name: "reports" }
  | { name: "squad"; squad: string; groupId: string }
  | { name: "squads" }
  | { name: "resolve"; questionId: string };

/** Input a member can fix: the message and the usage line of the command they tried. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string | undefined,
  ) {
    super(message);
  }
}

export const defaultPostMinute = 9 * 60;

/** Turns the text after `/study` into a command, or throws UsageError; reads nothing and writes nothing. */
export function parseCommand(text: string, t: Strings): Command {
  const [first, ...args] = text.trim().split(/\s+/).filter(Boolean);
  const name = (first ?? "help").toLowerCase();
  if (!(name in usages)) throw new UsageError(t.unknownSubcommand(first ?? ""), usages.help);
  const sub = name as Subcommand;
  const fail = (message: string): never => {
    throw new UsageError(message, usages[sub]);
  };
  const rest = args.length > 0 ? args.join(" ") : undefined;
  const noArgs = () => {
    if (args.length > 0) fail(t.tooManyArguments);
  };

  switch (sub) {
    case "help":
    case "digest":
    case "review":
    case "unsubscribe":
      noArgs();
      return { name: sub };
    case "quiz":
      return { name: "quiz", topic: rest };
    case "topics":
      return { name: "topics", topic: rest };
    case "streak":
      return { name: "streak", member: rest };
    case "leaderboard": {
      if (args.length > 1) fail(t.tooManyArguments);
      const window = (args[0] ?? "week").toLowerCase();
      if (window === "squads") return { name: "squads" };
      if (window !== "week" && window !== "month" && window !== "all") return fail(t.badWindow(args[0] ?? ""));
      return { name: "leaderboard", window };
    }
    case "subscribe": {
      if (args.length > 1) fail(t.tooManyArguments);
      const minuteOfDay = args[0] === undefined ? defaultPostMinute : parseClockTime(args[0]);
      if (minuteOfDay === undefined) return fail(t.badTime(args[0] ?? ""));
      return { name: "subscribe", minuteOfDay };
    }
    case "config": {
      if (args.length === 0) return { name: "config" };
      const [key, ...valueParts] = args as [string, ...string[]];
      const value = valueParts.join(" ");
      if (key.toLowerCase() === "reports") return valueParts.length === 0 ? { name: "reports" } : fail(t.tooManyArguments);
      if (key.toLowerCase() === "squad") {
        const [squad, group, extra] = valueParts;
        if (!squad || !group) return fail(t.missingValue("squad <name> <group-or-role>"));
        if (extra !== undefined) return fail(t.tooManyArguments);
        // Slack user group mentions look like <!subteam^S123|@backend>, Discord role mentions like <@&123>.
        const groupId = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(group)?.[1] ?? /^<@&(\d+)>$/.exec(group)?.[1] ?? group;
        return { name: "squad", squad: squad.toLowerCase(), groupId };
      }
      if (key.toLowerCase() === "resolve") return value ? { name: "resolve", questionId: value } : fail(t.missingValue("resolve"));
      return { name: "config", change: parseConfigChange(key.toLowerCase(), value, t, fail) };
    }
  }
}

function parseConfigChange(key: string, value: string, t: Strings, fail: (message: string) => never): ConfigChange {
  const keys = ["timezone", "language", "study-days", "quiz-duration", "team-quorum"];
  if (!keys.includes(key)) fail(t.unknownKey(key));
  if (value === "") fail(t.missingValue(key));
  switch (key) {
    case "timezone":
      return isValidTimezone(value) ? { key, value } : fail(t.badTimezone(value));
    case "language": {
      const language = value.toLowerCase();
      return language === "zh" || language === "en" ? { key, value: language } : fail(t.badLanguage(value));
    }
    case "study-days":
      return parseStudyDays(value) ? { key, value } : fail(t.badStudyDays(value));
    case "quiz-duration": {
      const seconds = parseDuration(value);
      return seconds === undefined ? fail(t.badDuration(value)) : { key, value: seconds };
    }
    default: {
      const quorum = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      return quorum >= 1 && quorum <= 1000 ? { key: "team-quorum", value: quorum } : fail(t.badQuorum(value));
    }
  }
}
