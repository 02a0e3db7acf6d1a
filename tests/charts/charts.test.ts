import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFont } from "fonteditor-core";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import {
  type Bar,
  barColor,
  barLength,
  barsAlt,
  barsSvg,
  barTrack,
  barTrackColor,
  type ChartLanguage,
  cell,
  chartFontFamily,
  chartFontFile,
  gap,
  type Heatmap,
  heatCell,
  heatColors,
  heatmapAlt,
  heatmapSvg,
  pngScale,
  recapAlt,
  recapSvg,
  svgToPng,
} from "../../src/charts/charts.ts";
import { decodePng } from "../helpers/png.ts";

// The reference pictures: UPDATE_CHART_REFERENCES=1 npx vitest run tests/charts writes them anew (look at them before committing).
const referenceDir = fileURLToPath(new URL("../fixtures/charts/", import.meta.url));
const updateReferences = process.env.UPDATE_CHART_REFERENCES === "1";
const root = fileURLToPath(new URL("../..", import.meta.url));

const heatmap: Heatmap = {
  counts: new Map([
    ["2026-11-20", 4],
    ["2026-11-18", 1],
    ["2026-09-07", 2],
    ["2026-10-14", 3],
    ["2026-10-02", 1],
  ]),
  end: "2026-11-22",
  weeks: 12,
};
const memberDays: Heatmap = {
  counts: new Map(["2026-11-20", "2026-11-18", "2026-10-05"].map((d) => [d, 1])),
  end: "2026-11-22",
  weeks: 12,
};
const bars: Record<ChartLanguage, Bar[]> = {
  en: [
    { label: "Linux system programming", value: 0.73 },
    { label: "Distributed systems", value: 0.5 },
    { label: "Modern C++ features", value: undefined },
    { label: "C programming", value: 1 },
  ],
  zh: [
    { label: "Linux系统编程", value: 0.73 },
    { label: "分布式系统", value: 0.5 },
    { label: "C++新特性", value: undefined },
    { label: "C语言开发", value: 1 },
  ],
};
const titles = {
  recap: { en: "Weekly recap: the week of 2026-11-16", zh: "每周回顾：2026-11-16 那一周" },
  streak: { en: "Streak: Ann", zh: "连续学习：王小明" },
};

function pixels(png: Buffer) {
  const image = PNG.sync.read(png);
  const at = (x: number, y: number) => {
    const i = (image.width * y + x) * 4;
    return [image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0] as const;
  };
  return {
    image,
    at,
    /** Pixels of text in a box given in SVG units: dark and grey (the greens and the bars' navy are not). */
    textPixels(box: { x: number; y: number; width: number; height: number }): number {
      let count = 0;
      const right = Math.min(image.width, Math.round((box.x + box.width) * pngScale));
      const bottom = Math.min(image.height, Math.round((box.y + box.height) * pngScale));
      for (let y = Math.round(box.y * pngScale); y < bottom; y++) {
        for (let x = Math.round(box.x * pngScale); x < right; x++) {
          const [r, g, b] = at(x, y);
          if (Math.max(r, g, b) < 150 && Math.max(r, g, b) - Math.min(r, g, b) < 24) count++;
        }
      }
      return count;
    },
  };
}

/** Compares with the stored reference in 16×16-pixel tiles: a lost label changes its tiles a lot, anti-aliasing a few pixels. */
function expectLikeReference(name: string, png: Buffer) {
  const file = join(referenceDir, `${name}.png`);
  if (updateReferences) {
    mkdirSync(referenceDir, { recursive: true });
    writeFileSync(file, png);
    return;
  }
  if (!existsSync(file)) throw new Error(`no reference ${file}: UPDATE_CHART_REFERENCES=1 npx vitest run tests/charts makes it`);
  const actual = pixels(png);
  const expected = pixels(readFileSync(file));
  expect([actual.image.width, actual.image.height], `${name}: size`).toEqual([expected.image.width, expected.image.height]);
  const tile = 16;
  let differing = 0;
  let worstTile = 0;
  for (let ty = 0; ty < actual.image.height; ty += tile) {
    for (let tx = 0; tx < actual.image.width; tx += tile) {
      let inTile = 0;
      for (let y = ty; y < Math.min(ty + tile, actual.image.height); y++) {
        for (let x = tx; x < Math.min(tx + tile, actual.image.width); x++) {
          const a = actual.at(x, y);
          const e = expected.at(x, y);
          if (a.some((v, i) => Math.abs(v - (e[i] ?? 0)) > 48)) inTile++;
        }
      }
      differing += inTile;
      worstTile = Math.max(worstTile, inTile / (tile * tile));
    }
  }
  const share = differing / (actual.image.width * actual.image.height);
  expect(share, `${name}: share of pixels unlike the reference`).toBeLessThan(0.005);
  expect(worstTile, `${name}: the most changed 16×16 tile (a label drawn or lost there?)`).toBeLessThan(0.1);
}

const centre = (at: { x: number; y: number } | undefined) => {
  if (!at) throw new Error("date outside the grid");
  return [(at.x + cell / 2) * pngScale, (at.y + cell / 2) * pngScale] as const;
};

describe("pictures", () => {
  it("draws a 12-week heatmap whose cells match the activity", () => {
    const png = decodePng(svgToPng(heatmapSvg(heatmap, { title: "Team", language: "en" })));
    // The busiest day is darkest, a quarter as busy the lightest green, a day nobody studied grey.
    expect(png.colorAt(...centre(heatCell("2026-11-20", heatmap)))).toBe(heatColors[4]);
    expect(png.colorAt(...centre(heatCell("2026-11-18", heatmap)))).toBe(heatColors[1]);
    expect(png.colorAt(...centre(heatCell("2026-09-07", heatmap)))).toBe(heatColors[2]);
    expect(png.colorAt(...centre(heatCell("2026-11-19", heatmap)))).toBe(heatColors[0]);
    // The 12 weeks run from Monday 31 August (top-left cell) to Sunday 22 November (bottom-right).
    const first = heatCell("2026-08-31", heatmap);
    expect(heatCell("2026-09-07", heatmap)).toEqual({ x: (first?.x ?? 0) + cell + gap, y: first?.y });
    expect(heatCell("2026-11-22", heatmap)).toEqual({ x: (first?.x ?? 0) + 11 * (cell + gap), y: (first?.y ?? 0) + 6 * (cell + gap) });
    expect(heatCell("2026-08-30", heatmap)).toBeUndefined();
  });

  it("draws accuracy bars under the heatmap, filled in proportion, and none for a branch without answers", () => {
    const shown = bars.en;
    const png = decodePng(svgToPng(recapSvg(heatmap, shown, { title: titles.recap.en, language: "en" })));
    const at = (i: number, share: number) => {
      const track = barTrack(i, shown, heatmap);
      return [Math.round((track.x + share * barLength) * pngScale), Math.round((track.y + track.height / 2) * pngScale)] as const;
    };
    expect(png.colorAt(...at(0, 0.7))).toBe(barColor);
    expect(png.colorAt(...at(0, 0.76))).toBe(barTrackColor);
    expect(png.colorAt(...at(1, 0.25))).toBe(barColor);
    expect(png.colorAt(...at(1, 0.75))).toBe(barTrackColor);
    expect(png.colorAt(...at(2, 0.25))).toBe(barTrackColor);
    expect(png.colorAt(...at(3, 0.98))).toBe(barColor);
    // The heatmap is where it is in the heatmap picture alone.
    expect(png.colorAt(...centre(heatCell("2026-11-20", heatmap)))).toBe(heatColors[4]);
  });

  for (const language of ["en", "zh"] as const) {
    it(`labels the recap picture in ${language}: title, months, weekdays, legend, branch names, percentages, axis`, () => {
      const shown = bars[language];
      const png = svgToPng(recapSvg(heatmap, shown, { title: titles.recap[language], language }));
      const p = pixels(png);
      const topLeft = heatCell("2026-08-31", heatmap) ?? { x: 0, y: 0 };
      const gridRight = (heatCell("2026-11-22", heatmap)?.x ?? 0) + cell;
      const gridBottom = (heatCell("2026-11-22", heatmap)?.y ?? 0) + cell;
      const row = (weekday: number) => ({ y: topLeft.y + weekday * (cell + gap), height: cell });
      const tracks = shown.map((_, i) => barTrack(i, shown, heatmap));
      const first = tracks[0] ?? barTrack(0, shown, heatmap);
      const expectText = (what: string, box: { x: number; y: number; width: number; height: number }) =>
        expect(p.textPixels(box), what).toBeGreaterThan(6);
      const expectBlank = (what: string, box: { x: number; y: number; width: number; height: number }) =>
        expect(p.textPixels(box), what).toBe(0);

      expectText("title", { x: 16, y: 14, width: 200, height: 22 });
      expectText("month names", { x: topLeft.x, y: topLeft.y - 15, width: gridRight - topLeft.x, height: 14 });
      for (const weekday of [0, 2, 4]) expectText(`weekday ${weekday}`, { x: 16, ...row(weekday), width: topLeft.x - 18 });
      for (const weekday of [1, 3, 5, 6]) expectBlank(`weekday ${weekday}, not named`, { x: 16, ...row(weekday), width: topLeft.x - 18 });
      expectText("legend", { x: topLeft.x + 100, y: gridBottom + 6, width: gridRight - topLeft.x - 100, height: 16 });
      const width = p.image.width / pngScale;
      expectBlank("beside the heatmap", { x: gridRight + 24, y: topLeft.y, width: width - gridRight - 24, height: gridBottom - topLeft.y });
      expectText("axis ticks", { x: first.x - 10, y: first.y - 16, width: barLength + 20, height: 14 });
      tracks.forEach((track, i) => {
        expectText(`branch name ${i}`, { x: 16, y: track.y, width: track.x - 20, height: track.height });
        expectText(`value ${i}`, { x: track.x + track.width + 3, y: track.y, width: 40, height: track.height });
      });
      expectLikeReference(`recap-${language}`, png);
    });

    it(`labels a member's streak picture in ${language}`, () => {
      const png = svgToPng(heatmapSvg(memberDays, { title: titles.streak[language], language }));
      const p = pixels(png);
      const topLeft = heatCell("2026-08-31", memberDays) ?? { x: 0, y: 0 };
      expect(p.textPixels({ x: 16, y: 14, width: 120, height: 22 }), "title").toBeGreaterThan(15);
      expect(p.textPixels({ x: topLeft.x, y: topLeft.y - 15, width: 200, height: 14 }), "month names").toBeGreaterThan(15);
      expectLikeReference(`streak-${language}`, png);
    });
  }

  it("escapes what it writes into the SVG: a branch name from a team's pack cannot break the picture", () => {
    const hostile: Bar[] = [{ label: '<b>&"x\u0001', value: 0.3 }];
    const svg = barsSvg(hostile, { title: "</svg><script>", language: "en" });
    expect(svg).toContain("&lt;b&gt;&amp;&quot;x</text>");
    expect(svg).not.toContain("<b>");
    expect(svg).not.toContain("<script>");
    expect(svg.match(/<\/svg>/g)).toHaveLength(1);
    const track = barTrack(0, hostile);
    const p = pixels(svgToPng(svg));
    expect(p.textPixels({ x: 16, y: track.y, width: track.x - 20, height: track.height }), "the name drawn").toBeGreaterThan(15);
  });

  it("gives standalone SVGs with a size, a viewBox and the bundled font's family", () => {
    for (const svg of [
      heatmapSvg(heatmap, { title: "T", language: "en" }),
      barsSvg(bars.en, { title: "T", language: "en" }),
      recapSvg(heatmap, bars.zh, { title: "T", language: "zh" }),
    ]) {
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="(\d+)" height="(\d+)" viewBox="0 0 \1 \2"/);
      expect(svg).toContain(`font-family="'${chartFontFamily}', sans-serif"`);
    }
  });

  it("bundles a font named as the SVGs ask, with every character the Chinese pictures and the topic names use", () => {
    const font = createFont(readFileSync(chartFontFile), { type: "ttf" }).get();
    expect(font.name.fontFamily).toBe(chartFontFamily);
    const mapped = new Set(Object.keys(font.cmap).map(Number));
    const drawn = recapSvg(heatmap, bars.zh, { title: titles.recap.zh, language: "zh" }).replace(/<[^>]*>/g, "");
    const topicsDir = join(root, "seeds", "topics");
    const topicNames = readdirSync(topicsDir)
      .map((file) => readFileSync(join(topicsDir, file), "utf8"))
      .flatMap((yaml) => [...yaml.matchAll(/^\s+(?:zh|en): (.+)$/gm)].map((m) => m[1] ?? ""));
    const missing = [...new Set([...drawn, ...topicNames.join(""), ..."…–%·"])].filter((c) => !mapped.has(c.codePointAt(0) ?? 0));
    expect(missing).toEqual([]);
    // GB2312's level-1 hanzi, the most common 3,755, are all there for names from team packs: first, one in the middle, last.
    for (const c of "啊恒座") expect(mapped.has(c.codePointAt(0) ?? 0), c).toBe(true);
  });

  it("says in words what the pictures show", () => {
    expect(heatmapAlt(heatmap, { title: "Team", language: "en" })).toBe(
      "Team. Study days over 12 weeks, 31 Aug – 22 Nov: 5 active days, busiest Fri 20 Nov (4).",
    );
    expect(heatmapAlt(heatmap, { title: "团队", language: "zh" })).toBe(
      "团队。最近 12 周的学习日（8月31日 – 11月22日）：5 天有学习，最多的一天是 11月20日周五（4）。",
    );
    // One member's days are all alike: no busiest day.
    expect(heatmapAlt(memberDays, { title: "Streak: Ann", language: "en" })).toBe(
      "Streak: Ann. Study days over 12 weeks, 31 Aug – 22 Nov: 3 active days.",
    );
    expect(heatmapAlt({ counts: new Map(), end: "2026-11-22", weeks: 12 }, { title: "Streak: Ann", language: "en" })).toBe(
      "Streak: Ann. Study days over 12 weeks, 31 Aug – 22 Nov: no active days.",
    );
    expect(barsAlt(bars.en, { title: "Last week", language: "en" })).toBe(
      "Last week. Accuracy by branch: Linux system programming 73%, Distributed systems 50%, Modern C++ features no answers, C programming 100%.",
    );
    expect(barsAlt(bars.zh, { title: "上周", language: "zh" })).toBe(
      "上周。各分支正确率：Linux系统编程 73%，分布式系统 50%，C++新特性 暂无作答，C语言开发 100%。",
    );
    expect(recapAlt(memberDays, bars.en.slice(0, 1), { title: "Recap", language: "en" })).toBe(
      "Recap. Study days over 12 weeks, 31 Aug – 22 Nov: 3 active days. Accuracy by branch: Linux system programming 73%.",
    );
  });
});
