import { questionSources } from "../../core/catalog.ts";
import { noWords } from "../../core/commands.ts";
import { parseDuration } from "../../core/durations.ts";
import type { Strings } from "../../core/i18n.ts";
import { isValidTimezone, parseClockTime } from "../../core/local-time.ts";
import { parseStudyDays } from "../../core/study-days.ts";
import { command } from "../services.ts";
import type { ConfigChange } from "./admin.ts";

export const configUsage = "/study config [key value]";
const subscribeUsage = "/study subscribe [HH:MM]";
const defaultPostMinute = 9 * 60;
const settingKeys = [
  "timezone",
  "language",
  "study-days",
  "quiz-duration",
  "team-quorum",
  "questions",
  "lifelines",
  "thread",
  "review-channel",
  "champion-role",
  "retention",
];
/** Answers are kept at least a week (the weekly recap reads the week's) and at most about ten years. */
export const retentionDaysRange = { min: 7, max: 3650 };
/** The words after `config` that select a setting or another command (config squad, reports, resolve). */
const configKeys = [...settingKeys, "squad", "reports", "resolve"];

export const adminCommands = [
  command({
    path: ["subscribe"],
    usage: subscribeUsage,
    help: {
      en: "admin: post the daily article here at HH:MM local time (default 09:00)",
      zh: "管理员：每天在本地时间 HH:MM 把文章发到本频道（默认 09:00）",
    },
    access: "admin",
    description: "Post the daily article in this channel",
    options: [{ name: "time", description: "HH:MM local time (default 09:00)", kind: "text" }],
    parse: (words, fail, t) => {
      if (words.length > 1) fail(t.tooManyArguments);
      const minuteOfDay = words[0] === undefined ? defaultPostMinute : parseClockTime(words[0]);
      return minuteOfDay === undefined ? fail(t.badTime(words[0] ?? "")) : minuteOfDay;
    },
    run: async ({ admin }, scope, minuteOfDay) => [await admin.subscribe(scope, minuteOfDay)],
  }),
  command({
    path: ["unsubscribe"],
    usage: "/study unsubscribe",
    help: { en: "admin: stop the daily article here", zh: "管理员：停止向本频道发每日文章" },
    access: "admin",
    description: "Stop the daily article in this channel",
    options: [],
    parse: noWords,
    run: async ({ admin }, scope) => [await admin.unsubscribe(scope)],
  }),
  command({
    path: ["config"],
    usage: configUsage,
    help: {
      en: "show settings; admin: set timezone, language, study-days, quiz-duration, team-quorum, questions, lifelines, thread, review-channel, champion-role, retention, squad <name> <group>; list reports; resolve <question-id>",
      zh: "查看设置；管理员：设置 timezone、language、study-days、quiz-duration、team-quorum、questions、lifelines、thread、review-channel、champion-role、retention、squad <名称> <群组>；reports 查看报告；resolve <题目 id>",
    },
    access: "admin-to-change",
    description: "Show this server's study settings",
    changeDescription: "Change a setting",
    options: [
      {
        name: "key",
        description: "Which setting",
        kind: "choice",
        required: true,
        choices: configKeys.map((key) => ({ name: key, value: key })),
      },
      {
        name: "value",
        description: "New value: Asia/Shanghai, zh, mon-fri, 10m, 3, both, #channel, @role, or a squad and its role",
        kind: "text",
      },
    ],
    parse: (words, fail, t) => {
      const [key, ...valueWords] = words;
      return key === undefined ? undefined : parseConfigChange(key.toLowerCase(), valueWords.join(" "), t, fail);
    },
    run: async ({ admin }, scope, change) => [change ? await admin.setConfig(scope, change) : await admin.showConfig(scope, configUsage)],
  }),
];

function parseConfigChange(key: string, value: string, t: Strings, fail: (message: string) => never): ConfigChange {
  if (!settingKeys.includes(key)) fail(t.unknownKey(key, configKeys.join(", ")));
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
    case "lifelines":
    case "thread": {
      const on = value.toLowerCase();
      return on === "on" || on === "off" ? { key, value: on === "on" } : fail(t.badOnOff(key, value));
    }
    case "review-channel": {
      const channel = parseChannel(value);
      return channel === undefined ? fail(t.badChannel(value)) : { key, value: channel };
    }
    case "champion-role": {
      const role =
        value.trim().toLowerCase() === "off"
          ? null
          : (/^<@&(\d{15,25})>$/.exec(value.trim())?.[1] ?? /^\d{15,25}$/.exec(value.trim())?.[0]);
      return role === undefined ? fail(t.badRole(value)) : { key, value: role };
    }
    case "retention": {
      if (value.toLowerCase() === "forever") return { key, value: null };
      const days = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      const { min, max } = retentionDaysRange;
      return days >= min && days <= max ? { key, value: days } : fail(t.badRetention(value, min, max));
    }
    case "questions": {
      const source = questionSources.find((s) => s === value.toLowerCase());
      return source ? { key, value: source } : fail(t.badQuestionSource(value));
    }
    default: {
      const quorum = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      return quorum >= 1 && quorum <= 1000 ? { key: "team-quorum", value: quorum } : fail(t.badQuorum(value));
    }
  }
}

/**
 * A channel as typed: a Slack or Discord channel mention (`<#C0123|reviews>`, `<#1234>`), `#name` (the console's
 * channels are their names), `here` (a marker the command replaces with its own channel), or `off`.
 */
function parseChannel(value: string): string | null | undefined {
  const word = value.trim();
  if (word.toLowerCase() === "off") return null;
  if (word.toLowerCase() === "here") return hereChannel;
  const mention = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word);
  if (mention) return mention[1];
  const named = /^#?([a-z0-9][a-z0-9_-]{0,79})$/i.exec(word);
  return named?.[1];
}

/** `review-channel here`: the channel the command was typed in. */
export const hereChannel = "\u0000here";
