import { describe, expect, it } from "vitest";
import { barHeight, barsTop, barWidth, cell, heatCell, heatColors, heatmapPng, heatmapSize, recapPng } from "../../src/charts/charts.ts";
import { decodePng } from "../helpers/png.ts";

const centre = (at: { x: number; y: number } | undefined) => {
  if (!at) throw new Error("date outside the grid");
  return [at.x + cell / 2, at.y + cell / 2] as const;
};

describe("pictures", () => {
  const heatmap = {
    counts: new Map([
      ["2026-11-20", 4],
      ["2026-11-18", 1],
      ["2026-09-07", 2],
    ]),
    end: "2026-11-22",
    weeks: 12,
  };

  it("draws a 12-week heatmap whose cells match the activity", () => {
    const png = decodePng(heatmapPng(heatmap));
    expect(png.width).toBe(heatmapSize(12).width);
    expect(png.height).toBe(heatmapSize(12).height);
    // The busiest day is darkest, a quarter as busy the lightest green, a day nobody studied grey.
    expect(png.colorAt(...centre(heatCell("2026-11-20", heatmap)))).toBe(heatColors[4]);
    expect(png.colorAt(...centre(heatCell("2026-11-18", heatmap)))).toBe(heatColors[1]);
    expect(png.colorAt(...centre(heatCell("2026-09-07", heatmap)))).toBe(heatColors[2]);
    expect(png.colorAt(...centre(heatCell("2026-11-19", heatmap)))).toBe(heatColors[0]);
    // The 12 weeks run from Monday 31 August (top-left cell) to Sunday 22 November (bottom-right).
    expect(heatCell("2026-08-31", heatmap)).toEqual({ x: 10, y: 10 });
    expect(heatCell("2026-09-07", heatmap)).toEqual({ x: 27, y: 10 });
    expect(heatCell("2026-11-22", heatmap)).toEqual({ x: 10 + 11 * 17, y: 10 + 6 * 17 });
    expect(heatCell("2026-08-30", heatmap)).toBeUndefined();
  });

  it("draws accuracy bars under the heatmap, filled in proportion", () => {
    const png = decodePng(recapPng(heatmap, [1, 0.5, 0]));
    const top = barsTop(12);
    const x = (i: number) => 10 + i * (barWidth + 6) + barWidth / 2;
    const filled = "#1d3557";
    const track = "#e9ecef";
    expect(png.colorAt(x(0), top + 2)).toBe(filled);
    expect(png.colorAt(x(1), top + barHeight / 4)).toBe(track);
    expect(png.colorAt(x(1), top + (3 * barHeight) / 4)).toBe(filled);
    expect(png.colorAt(x(2), top + barHeight - 2)).toBe(track);
  });
});
