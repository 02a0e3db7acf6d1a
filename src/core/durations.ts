export const minQuizSeconds = 10;
export const maxQuizSeconds = 24 * 60 * 60;

/** Parses 90s, 10m, 1h or plain seconds; undefined when malformed or outside 10 s..24 h. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*([smh]?)$/.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const unit = match[2] === "h" ? 3600 : match[2] === "m" ? 60 : 1;
  const seconds = Number(match[1]) * unit;
  return seconds >= minQuizSeconds && seconds <= maxQuizSeconds ? seconds : undefined;
}

export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
