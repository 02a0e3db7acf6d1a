/** Terminal and monospace width of a string: CJK and emoji take two columns. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1FAFF}]/u.test(ch)
      ? 2
      : 1;
  return width;
}

/** A table as monospace lines, columns padded by display width so that Chinese names line up. */
export function tableLines(columns: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const all = [columns, ...rows];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ""))));
  return all.map((r) =>
    r
      .map((cell, i) => cell + " ".repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(cell))))
      .join("  ")
      .trimEnd(),
  );
}
