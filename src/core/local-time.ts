import { DateTime, IANAZone } from "luxon";

/** A calendar date in some timezone, as YYYY-MM-DD. */
export type LocalDate = string;

export function isValidTimezone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** Per timezone, the last local day asked about and the instants it spans: every answer asks, and luxon is slow. */
const lastLocalDay = new Map<string, { from: number; to: number; date: LocalDate }>();

export function localDateOf(instant: Date, timezone: string): LocalDate {
  const ms = instant.getTime();
  const known = lastLocalDay.get(timezone);
  if (known && ms >= known.from && ms < known.to) return known.date;
  const local = DateTime.fromMillis(ms, { zone: timezone });
  const date = local.toISODate() as LocalDate;
  if (local.isValid) {
    const from = local.startOf("day");
    lastLocalDay.set(timezone, { from: from.toMillis(), to: from.plus({ days: 1 }).startOf("day").toMillis(), date });
  }
  return date;
}

/** Minutes since local midnight of an instant in a timezone. */
export function localMinuteOf(instant: Date, timezone: string): number {
  const t = DateTime.fromJSDate(instant, { zone: timezone });
  return t.hour * 60 + t.minute;
}

// Calendar arithmetic on dates alone needs no timezone, so it uses plain UTC dates: streaks call these for every
// day of a member's history, and luxon made a 25-row leaderboard spend most of its time here.

/** ISO weekday of a local date: 1 = Monday ... 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return weekdayOfDayNumber(dayNumber(date));
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const day = utcDate(date);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Days from 1970-01-01 to a local date: whole numbers to walk a long run of days by. */
export function dayNumber(date: LocalDate): number {
  return utcDate(date).getTime() / 86_400_000;
}

/** ISO weekday of a day number (day 0, 1970-01-01, was a Thursday). */
export function weekdayOfDayNumber(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function utcDate(date: LocalDate): Date {
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
}

/** The instant a local wall-clock time happens on a local date (luxon shifts times that fall in a DST gap forward). */
function instantAt(date: LocalDate, minuteOfDay: number, timezone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return DateTime.fromObject(
    { year: y, month: m, day: d, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 },
    { zone: timezone },
  ).toJSDate();
}

// A digest fan-out ends thousands of rounds at the same local midnight and shows that time on each: the last answer is kept.
let lastEnd = { date: "", timezone: "", end: 0 };
let lastFormat = { at: Number.NaN, timezone: "", text: "" };
// Every answer asks for its week; nearly all of them for the same day as the last one.
let lastWeek = { date: "", start: "" };

/** The first instant of the next local day: when a local date ends. */
export function endOfLocalDay(date: LocalDate, timezone: string): Date {
  if (date !== lastEnd.date || timezone !== lastEnd.timezone) {
    lastEnd = { date, timezone, end: instantAt(addDays(date, 1), 0, timezone).getTime() };
  }
  return new Date(lastEnd.end);
}

/** Monday of the week a local date is in. */
export function startOfWeek(date: LocalDate): LocalDate {
  if (date !== lastWeek.date) lastWeek = { date, start: addDays(date, 1 - weekdayOf(date)) };
  return lastWeek.start;
}

export function startOfMonth(date: LocalDate): LocalDate {
  return `${date.slice(0, 8)}01`;
}

/** Parses HH:MM (24-hour) into minutes since midnight, or undefined. */
export function parseClockTime(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

export function formatClockTime(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}

/** An instant shown as local date and time, e.g. 2026-11-23 17:30. */
export function formatLocal(instant: Date, timezone: string): string {
  if (instant.getTime() !== lastFormat.at || timezone !== lastFormat.timezone) {
    lastFormat = { at: instant.getTime(), timezone, text: DateTime.fromJSDate(instant, { zone: timezone }).toFormat("yyyy-MM-dd HH:mm") };
  }
  return lastFormat.text;
}
