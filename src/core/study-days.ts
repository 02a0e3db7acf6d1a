const names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** A set of ISO weekdays (1 = Monday ... 7 = Sunday). */
export type StudyDays = ReadonlySet<number>;

export const defaultStudyDays: StudyDays = new Set([1, 2, 3, 4, 5]);

/** Parses mon-fri, mon-sun, every-day, or a list such as mon,wed,fri (ranges allowed in the list). */
export function parseStudyDays(text: string): StudyDays | undefined {
  const value = text.trim().toLowerCase();
  if (value === "every-day" || value === "everyday") return new Set([1, 2, 3, 4, 5, 6, 7]);
  const days = new Set<number>();
  for (const part of value.split(",")) {
    const [from, to, extra] = part.trim().split("-");
    if (extra !== undefined || from === undefined) return undefined;
    const start = names.indexOf(from as (typeof names)[number]) + 1;
    const end = to === undefined ? start : names.indexOf(to as (typeof names)[number]) + 1;
    if (start === 0 || end === 0 || end < start) return undefined;
    for (let day = start; day <= end; day++) days.add(day);
  }
  return days.size > 0 ? days : undefined;
}

/** The canonical text of a set: mon-fri, every-day, or a list. */
export function formatStudyDays(days: StudyDays): string {
  const sorted = [...days].sort((a, b) => a - b);
  if (sorted.length === 7) return "every-day";
  const contiguous = sorted.every((day, i) => i === 0 || day === (sorted[i - 1] as number) + 1);
  if (contiguous && sorted.length > 2) return `${names[(sorted[0] as number) - 1]}-${names[(sorted.at(-1) as number) - 1]}`;
  return sorted.map((day) => names[day - 1]).join(",");
}
