import { createRequire } from "node:module";
import { addDays, type LocalDate, weekdayOf } from "../core/local-time.ts";

// The pictures carry no text, so no font has to be bundled or installed: the message beside them names what they show.

export const cell = 14;
export const gap = 3;
const pad = 10;
/** Activity levels, light to dark, as in a contribution graph; index 0 is "nobody studied". */
export const heatColors = ["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"];
const barColor = "#1d3557";
const barTrack = "#e9ecef";
export const barWidth = 24;
export const barHeight = 120;

export interface Heatmap {
  /** Local dates and how many were active on each (one member's map holds 1 for each active day). */
  counts: ReadonlyMap<LocalDate, number>;
  /** The last day shown; the grid ends with its week. */
  end: LocalDate;
  weeks: number;
}

/** The colour level of a count: 0 for none, then four steps up to the busiest day. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, Math.ceil((4 * count) / max));
}

/** Where the cell of a date is: column = week (oldest first), row = weekday (Monday on top). */
export function heatCell(date: LocalDate, heatmap: Heatmap): { x: number; y: number } | undefined {
  const firstMonday = addDays(addDays(heatmap.end, 1 - weekdayOf(heatmap.end)), -7 * (heatmap.weeks - 1));
  const days = Math.round((Date.parse(date) - Date.parse(firstMonday)) / 86_400_000);
  if (days < 0 || date > heatmap.end) return undefined;
  return { x: pad + Math.floor(days / 7) * (cell + gap), y: pad + ((weekdayOf(date) + 6) % 7) * (cell + gap) };
}

export function heatmapSize(weeks: number) {
  return { width: 2 * pad + weeks * (cell + gap) - gap, height: 2 * pad + 7 * (cell + gap) - gap };
}

function heatmapCells(heatmap: Heatmap, top: number): string {
  const max = Math.max(0, ...heatmap.counts.values());
  const rects: string[] = [];
  const firstMonday = addDays(addDays(heatmap.end, 1 - weekdayOf(heatmap.end)), -7 * (heatmap.weeks - 1));
  for (let date = firstMonday; date <= heatmap.end; date = addDays(date, 1)) {
    const at = heatCell(date, heatmap);
    if (!at) continue;
    const fill = heatColors[heatLevel(heatmap.counts.get(date) ?? 0, max)];
    rects.push(`<rect x="${at.x}" y="${at.y + top}" width="${cell}" height="${cell}" rx="2" fill="${fill}"/>`);
  }
  return rects.join("");
}

/** Bars of values from 0 to 1, left to right, under a grey track. */
function barCells(values: readonly number[], top: number): string {
  return values
    .map((value, i) => {
      const x = pad + i * (barWidth + gap * 2);
      const filled = Math.round(Math.max(0, Math.min(1, value)) * barHeight);
      return `<rect x="${x}" y="${top}" width="${barWidth}" height="${barHeight}" fill="${barTrack}"/><rect x="${x}" y="${top + barHeight - filled}" width="${barWidth}" height="${filled}" fill="${barColor}"/>`;
    })
    .join("");
}

export function barsTop(weeks: number): number {
  return heatmapSize(weeks).height;
}

/** One member's or the team's study days as a PNG. */
export function heatmapPng(heatmap: Heatmap): Buffer {
  const { width, height } = heatmapSize(heatmap.weeks);
  return png(width, height, heatmapCells(heatmap, 0));
}

/** The recap picture: the team's heatmap on top, accuracy by branch as bars below. */
export function recapPng(heatmap: Heatmap, accuracy: readonly number[]): Buffer {
  const size = heatmapSize(heatmap.weeks);
  const width = Math.max(size.width, 2 * pad + accuracy.length * (barWidth + gap * 2));
  const top = barsTop(heatmap.weeks);
  return png(width, top + barHeight + pad, heatmapCells(heatmap, 0) + barCells(accuracy, top));
}

const require = createRequire(import.meta.url);

function png(width: number, height: number, body: string): Buffer {
  // The native renderer loads at the first picture: a process that draws none (digest run-due) is spared its memory and threads.
  const { Resvg }: typeof import("@resvg/resvg-js") = require("@resvg/resvg-js");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>`;
  return new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng();
}
