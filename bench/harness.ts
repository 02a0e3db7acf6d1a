import { mkdirSync, writeFileSync } from "node:fs";

export interface Result {
  name: string;
  figure: number;
  unit: string;
  baseline: number | null;
  /** figure / baseline, oriented so that higher is better. */
  ratio: number | null;
  target: string;
  pass: boolean;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Of runs where the measured side and its baseline ran back to back, the run with the middle ratio: a pair shares
 * the machine's state of the moment, so its ratio drifts less than either side's rate (single runs here ranged by a fifth).
 */
export function middlePair(runs: Array<{ figure: number; baseline: number }>): { figure: number; baseline: number; ratio: number } {
  const byRatio = runs.map((run) => ({ ...run, ratio: run.figure / run.baseline })).sort((a, b) => a.ratio - b.ratio);
  const middle = byRatio[Math.floor((byRatio.length - 1) / 2)];
  if (!middle) throw new Error("no runs");
  return middle;
}

export function printTable(results: Result[]): void {
  const rows = results.map((r) => [
    r.name,
    `${round(r.figure)} ${r.unit}`,
    r.baseline === null ? "-" : `${round(r.baseline)} ${r.unit}`,
    r.ratio === null ? "-" : round(r.ratio).toString(),
    r.target,
    r.pass ? "pass" : "MISS",
  ]);
  const header = ["benchmark", "figure", "baseline", "ratio", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  "));
}

export function writeResults(results: Result[]): void {
  mkdirSync("bench", { recursive: true });
  writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);
