import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { addDays, type LocalDate, weekdayOf } from "../core/local-time.ts";

// Pictures as SVG (text included), and as PNG through resvg with one bundled font: no system font is read, so a picture
// looks the same on every machine.

export type ChartLanguage = "en" | "zh";

export interface Heatmap {
  /** Local dates and how many were active on each (one member's map holds 1 for each active day). */
  counts: ReadonlyMap<LocalDate, number>;
  /** The last day shown; the grid ends with its week. */
  end: LocalDate;
  weeks: number;
}

/** One bar: a label (a branch name) and a share from 0 to 1; undefined when nobody answered. */
export interface Bar {
  label: string;
  value: number | undefined;
}

// src/charts/ is two levels below the root, as dist/bundle/ is: the same relative path works from src/ and from the bundle.
/** Noto Sans SC Regular cut down to Latin, punctuation, common hanzi and the project's own labels: scripts/chart-font.js makes it. */
export const chartFontFile = fileURLToPath(new URL("../../fonts/NotoSansSC-chart.ttf", import.meta.url));
/** The family name inside that font: a browser given the font under this name draws the same text. */
export const chartFontFamily = "Noto Sans SC";
/** PNGs are drawn at twice the SVG's size, sharp on high-density screens. */
export const pngScale = 2;

/** Activity levels, light to dark, as in a contribution graph; index 0 is "nobody studied". */
export const heatColors = ["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"];
export const barColor = "#1d3557";
export const barTrackColor = "#e9ecef";
const textColor = "#1f2328";
const mutedColor = "#57606a";
const gridColor = "#8c959f";

const pad = 16;
const titleSize = 16;
const titleHeight = 24;
const subtitleSize = 12;
const subtitleHeight = 20;
const labelSize = 11;
const sectionGap = 22;
export const cell = 16;
export const gap = 3;
const weekdayColumn = 30;
const monthStrip = 15;
const legendGap = 8;
const legendSwatch = 11;
const barLabelSize = 12;
const barLabelGap = 8;
const barLabelMax = 190;
export const barLength = 200;
const barThickness = 14;
const barPitch = 22;
const axisStrip = 16;
const valueGap = 6;
const valueColumn = 34;
const maxTitleWidth = 600;

const words = {
  en: {
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    less: "Less",
    more: "More",
    studyDays: (weeks: number) => `Study days over ${weeks} weeks`,
    accuracy: "Accuracy by branch",
    noBranches: "No branches yet",
    noAnswers: "no answers",
    day: (date: LocalDate) => `${Number(date.slice(8, 10))} ${words.en.months[Number(date.slice(5, 7)) - 1]}`,
    span: (weeks: number, first: string, last: string) => `Study days over ${weeks} weeks, ${first} – ${last}`,
    active: (days: number) => (days === 0 ? "no active days" : `${days} active ${days === 1 ? "day" : "days"}`),
    busiest: (weekday: string, day: string, count: number) => `busiest ${weekday} ${day} (${count})`,
    listSeparator: ", ",
    clauseSeparator: ": ",
    stop: ". ",
  },
  zh: {
    months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
    weekdays: ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    less: "少",
    more: "多",
    studyDays: (weeks: number) => `最近 ${weeks} 周的学习日`,
    accuracy: "各分支正确率",
    noBranches: "还没有分支",
    noAnswers: "暂无作答",
    day: (date: LocalDate) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`,
    span: (weeks: number, first: string, last: string) => `最近 ${weeks} 周的学习日（${first} – ${last}）`,
    active: (days: number) => (days === 0 ? "没有学习日" : `${days} 天有学习`),
    busiest: (weekday: string, day: string, count: number) => `最多的一天是 ${day}${weekday}（${count}）`,
    listSeparator: "，",
    clauseSeparator: "：",
    stop: "。",
  },
} as const;

/** Text made safe inside SVG: the control characters XML forbids (all but tab and line breaks) dropped, the five specials escaped. */
function escapeXml(text: string): string {
  return [...text]
    .filter((character) => character >= " " || character === "\t" || character === "\n" || character === "\r")
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** About how wide a text is drawn, in pixels: Noto Sans's Latin advances by class, one em for CJK and full-width forms. */
function textWidth(text: string, size: number): number {
  let ems = 0;
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code >= 0x2e80 || character === "…" || character === "·") ems += 1;
    else if (/[ilj.,:;'|!I()[\]{}\s]/.test(character)) ems += 0.3;
    else if (/[mwMW@%]/.test(character)) ems += 0.93;
    else if (/[A-Z0-9&]/.test(character) || code > 0x7f) ems += 0.7;
    else ems += 0.6;
  }
  return ems * size;
}

/** The text, cut with an ellipsis to fit a width. */
function fitText(text: string, width: number, size: number): string {
  if (textWidth(text, size) <= width) return text;
  const characters = [...text];
  while (characters.length > 0 && textWidth(`${characters.join("")}…`, size) > width) characters.pop();
  return `${characters.join("").trimEnd()}…`;
}

function label(x: number, y: number, text: string, o: { size: number; fill?: string; anchor?: "start" | "middle" | "end" }): string {
  const anchor = o.anchor && o.anchor !== "start" ? ` text-anchor="${o.anchor}"` : "";
  return `<text x="${x}" y="${y}" font-size="${o.size}" fill="${o.fill ?? textColor}"${anchor}>${escapeXml(text)}</text>`;
}

/** The baseline that centres a line of text of this size on y. */
function middleBaseline(y: number, size: number): number {
  return Math.round((y + size * 0.36) * 10) / 10;
}

function rect(x: number, y: number, width: number, height: number, fill: string, rounded = 0): string {
  return `<rect x="${x}" y="${y}" width="${width}" height="${height}"${rounded ? ` rx="${rounded}"` : ""} fill="${fill}"/>`;
}

interface Section {
  width: number;
  height: number;
  /** SVG drawn with its top-left corner at (x, y). */
  draw(x: number, y: number): string;
}

const sectionsTop = pad + titleHeight + 10;

function firstMonday(heatmap: Heatmap): LocalDate {
  return addDays(addDays(heatmap.end, 1 - weekdayOf(heatmap.end)), -7 * (heatmap.weeks - 1));
}

/** The colour level of a count: 0 for none, then four steps up to the busiest day. */
function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, Math.ceil((4 * count) / max));
}

/** Where the grid's top-left corner is in the heatmap picture and in the recap (both start with the heatmap). */
const gridOrigin = { x: pad + weekdayColumn, y: sectionsTop + subtitleHeight + monthStrip };

/** Where the cell of a date is, in the heatmap and the recap pictures: column = week (oldest first), row = weekday (Monday on top). */
export function heatCell(date: LocalDate, heatmap: Heatmap): { x: number; y: number } | undefined {
  const days = Math.round((Date.parse(date) - Date.parse(firstMonday(heatmap))) / 86_400_000);
  if (days < 0 || date > heatmap.end) return undefined;
  return { x: gridOrigin.x + Math.floor(days / 7) * (cell + gap), y: gridOrigin.y + (weekdayOf(date) - 1) * (cell + gap) };
}

function heatmapSection(heatmap: Heatmap, language: ChartLanguage): Section {
  const w = words[language];
  const gridWidth = heatmap.weeks * (cell + gap) - gap;
  const gridHeight = 7 * (cell + gap) - gap;
  const max = Math.max(0, ...heatmap.counts.values());
  const start = firstMonday(heatmap);
  return {
    width: weekdayColumn + gridWidth,
    height: subtitleHeight + monthStrip + gridHeight + legendGap + legendSwatch,
    draw(x, y) {
      const parts = [label(x, y + subtitleSize, w.studyDays(heatmap.weeks), { size: subtitleSize, fill: mutedColor })];
      const gridX = x + weekdayColumn;
      const gridY = y + subtitleHeight + monthStrip;
      // A month is named over the first week whose Monday falls in it; a name too close to the next is left out.
      const starts: { column: number; month: number }[] = [];
      for (let column = 0; column < heatmap.weeks; column++) {
        const month = Number(addDays(start, 7 * column).slice(5, 7)) - 1;
        if (starts.at(-1)?.month !== month) starts.push({ column, month });
      }
      starts
        .filter((s, i) => (starts[i + 1]?.column ?? heatmap.weeks + 2) - s.column >= 2)
        .forEach((s) => {
          parts.push(label(gridX + s.column * (cell + gap), gridY - 5, w.months[s.month] ?? "", { size: labelSize, fill: mutedColor }));
        });
      for (const row of [0, 2, 4]) {
        const centre = gridY + row * (cell + gap) + cell / 2;
        parts.push(label(x, middleBaseline(centre, labelSize), w.weekdays[row] ?? "", { size: labelSize, fill: mutedColor }));
      }
      for (let date = start; date <= heatmap.end; date = addDays(date, 1)) {
        const days = Math.round((Date.parse(date) - Date.parse(start)) / 86_400_000);
        const fill = heatColors[heatLevel(heatmap.counts.get(date) ?? 0, max)] as string;
        parts.push(rect(gridX + Math.floor(days / 7) * (cell + gap), gridY + (days % 7) * (cell + gap), cell, cell, fill, 3));
      }
      // The legend, under the grid's right end: Less, the five colours, More.
      const legendY = gridY + gridHeight + legendGap;
      const legendBaseline = middleBaseline(legendY + legendSwatch / 2, labelSize);
      const moreX = gridX + gridWidth - textWidth(w.more, labelSize);
      parts.push(label(gridX + gridWidth, legendBaseline, w.more, { size: labelSize, fill: mutedColor, anchor: "end" }));
      const swatchesX = moreX - 4 - heatColors.length * (legendSwatch + 2);
      heatColors.forEach((color, i) => {
        parts.push(rect(swatchesX + i * (legendSwatch + 2), legendY, legendSwatch, legendSwatch, color, 2));
      });
      parts.push(label(swatchesX - 4, legendBaseline, w.less, { size: labelSize, fill: mutedColor, anchor: "end" }));
      return parts.join("");
    },
  };
}

function barLabelWidth(bars: readonly Bar[]): number {
  return Math.min(barLabelMax, Math.ceil(Math.max(0, ...bars.map((bar) => textWidth(bar.label, barLabelSize)))));
}

function barsSection(bars: readonly Bar[], language: ChartLanguage): Section {
  const w = words[language];
  const labelWidth = barLabelWidth(bars);
  const trackX = labelWidth + barLabelGap;
  return {
    width: bars.length === 0 ? textWidth(w.accuracy, subtitleSize) : trackX + barLength + valueGap + valueColumn,
    height: subtitleHeight + (bars.length === 0 ? subtitleHeight : axisStrip + bars.length * barPitch),
    draw(x, y) {
      const parts = [label(x, y + subtitleSize, w.accuracy, { size: subtitleSize, fill: mutedColor })];
      if (bars.length === 0) {
        parts.push(label(x, y + subtitleHeight + subtitleSize, w.noBranches, { size: barLabelSize, fill: mutedColor }));
        return parts.join("");
      }
      const rowsY = y + subtitleHeight + axisStrip;
      const left = x + trackX;
      for (let i = 0; i < bars.length; i++) parts.push(rect(left, rowsY + i * barPitch, barLength, barThickness, barTrackColor));
      // Gridlines at 0, 50 and 100%, over the tracks and under the bars, with their ticks above the first bar.
      const bottom = rowsY + bars.length * barPitch - (barPitch - barThickness);
      for (const share of [0, 0.5, 1]) {
        const lineX = left + share * barLength;
        parts.push(`<line x1="${lineX}" y1="${rowsY - 3}" x2="${lineX}" y2="${bottom}" stroke="${gridColor}" stroke-width="1"/>`);
        parts.push(label(lineX, rowsY - 6, `${share * 100}%`, { size: labelSize, fill: mutedColor, anchor: "middle" }));
      }
      bars.forEach((bar, i) => {
        const top = rowsY + i * barPitch;
        const baseline = middleBaseline(top + barThickness / 2, barLabelSize);
        const name = fitText(bar.label, labelWidth, barLabelSize);
        parts.push(label(left - barLabelGap, baseline, name, { size: barLabelSize, anchor: "end" }));
        if (bar.value !== undefined) {
          const filled = Math.round(Math.max(0, Math.min(1, bar.value)) * barLength);
          if (filled > 0) parts.push(rect(left, top, filled, barThickness, barColor));
        }
        const value = bar.value === undefined ? "–" : `${Math.round(100 * bar.value)}%`;
        parts.push(
          label(left + barLength + valueGap, baseline, value, {
            size: barLabelSize,
            fill: bar.value === undefined ? mutedColor : textColor,
          }),
        );
      });
      return parts.join("");
    },
  };
}

/** The track of bar `index`: in barsSvg's picture, or in recapSvg's when its heatmap is given. */
export function barTrack(index: number, bars: readonly Bar[], heatmap?: Heatmap) {
  const top = heatmap ? sectionsTop + heatmapSection(heatmap, "en").height + sectionGap : sectionsTop;
  return {
    x: pad + barLabelWidth(bars) + barLabelGap,
    y: top + subtitleHeight + axisStrip + index * barPitch,
    width: barLength,
    height: barThickness,
  };
}

/** A picture: the title on top, then the sections one under another. */
function picture(title: string, sections: Section[]): string {
  const contentWidth = Math.max(...sections.map((s) => s.width));
  const width = Math.ceil(Math.max(contentWidth, Math.min(maxTitleWidth, textWidth(title, titleSize))) + 2 * pad);
  const shownTitle = fitText(title, width - 2 * pad, titleSize);
  const parts: string[] = [label(pad, pad + titleSize, shownTitle, { size: titleSize })];
  let y = sectionsTop;
  for (const section of sections) {
    parts.push(section.draw(pad, y));
    y += section.height + sectionGap;
  }
  const height = y - sectionGap + pad;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `font-family="'${chartFontFamily}', sans-serif"><title>${escapeXml(title)}</title>` +
    `${rect(0, 0, width, height, "#ffffff")}${parts.join("")}</svg>`
  );
}

/** Study days as a heatmap with month and weekday names and a legend. */
export function heatmapSvg(heatmap: Heatmap, o: { title: string; language: ChartLanguage }): string {
  return picture(o.title, [heatmapSection(heatmap, o.language)]);
}

/** Accuracy by branch as horizontal bars, each named, with its percentage, over a 0-50-100% axis. */
export function barsSvg(bars: readonly Bar[], o: { title: string; language: ChartLanguage }): string {
  return picture(o.title, [barsSection(bars, o.language)]);
}

/** The weekly recap: the team's study days on top, accuracy by branch below. */
export function recapSvg(heatmap: Heatmap, bars: readonly Bar[], o: { title: string; language: ChartLanguage }): string {
  return picture(o.title, [heatmapSection(heatmap, o.language), barsSection(bars, o.language)]);
}

/** Sentences joined as the language writes them: "A. B." or "A。B。". */
function sentences(parts: string[], language: ChartLanguage): string {
  return parts
    .map((part) => `${part}${words[language].stop}`)
    .join("")
    .trimEnd();
}

function heatmapDescription(heatmap: Heatmap, language: ChartLanguage): string {
  const w = words[language];
  const shown = [...heatmap.counts].filter(([date, count]) => count > 0 && heatCell(date, heatmap));
  const span = w.span(heatmap.weeks, w.day(firstMonday(heatmap)), w.day(heatmap.end));
  const facts: string[] = [w.active(shown.length)];
  // The busiest day says something only when days differ: one member's map holds 1 on every active day.
  const busiest = shown.reduce<[LocalDate, number] | undefined>((best, day) => (!best || day[1] > best[1] ? day : best), undefined);
  if (busiest && shown.some(([, count]) => count !== busiest[1])) {
    facts.push(w.busiest(w.weekdays[weekdayOf(busiest[0]) - 1] ?? "", w.day(busiest[0]), busiest[1]));
  }
  return `${span}${w.clauseSeparator}${facts.join(w.listSeparator)}`;
}

function barsDescription(bars: readonly Bar[], language: ChartLanguage): string {
  const w = words[language];
  if (bars.length === 0) return `${w.accuracy}${w.clauseSeparator}${w.noBranches}`;
  const values = bars.map((bar) => `${bar.label} ${bar.value === undefined ? w.noAnswers : `${Math.round(100 * bar.value)}%`}`);
  return `${w.accuracy}${w.clauseSeparator}${values.join(w.listSeparator)}`;
}

/** What heatmapSvg's picture shows, in words (for alt text). */
export function heatmapAlt(heatmap: Heatmap, o: { title: string; language: ChartLanguage }): string {
  return sentences([o.title, heatmapDescription(heatmap, o.language)], o.language);
}

/** What barsSvg's picture shows, in words (for alt text). */
export function barsAlt(bars: readonly Bar[], o: { title: string; language: ChartLanguage }): string {
  return sentences([o.title, barsDescription(bars, o.language)], o.language);
}

/** What recapSvg's picture shows, in words (for alt text). */
export function recapAlt(heatmap: Heatmap, bars: readonly Bar[], o: { title: string; language: ChartLanguage }): string {
  return sentences([o.title, heatmapDescription(heatmap, o.language), barsDescription(bars, o.language)], o.language);
}

const require = createRequire(import.meta.url);

/** An SVG from this module drawn as a PNG, at pngScale, with the bundled font only. */
export function svgToPng(svg: string): Buffer {
  if (!existsSync(chartFontFile)) throw new Error(`The pictures' font ${chartFontFile} is missing: run npm run build`);
  // The native renderer loads at the first picture: a process that draws none (digest run-due) is spared its memory and threads.
  const { Resvg }: typeof import("@resvg/resvg-js") = require("@resvg/resvg-js");
  const font = { loadSystemFonts: false, fontFiles: [chartFontFile], defaultFontFamily: chartFontFamily };
  return new Resvg(svg, { font, fitTo: { mode: "zoom", value: pngScale } }).render().asPng();
}
