// The font the pictures are drawn with (src/charts/charts.ts): Noto Sans SC Regular, cut down to the characters the
// pictures can show and written as one TTF (resvg reads TTF/OTF, not the WOFF2 slices the noto-sans-sc package ships).
// scripts/build.js calls it; the file is kept in fonts/ (outside dist/, which every build deletes) and made again only
// when its inputs change.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const chartFontName = "NotoSansSC-chart.ttf";
/** The family the pictures' SVG asks for (src/charts/charts.ts says the same). */
const family = "Noto Sans SC";

const require = createRequire(import.meta.url);

/** Characters drawn from the project's own text: CJK ideographs, CJK and full-width punctuation. */
const cjkText = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/gu;

function addRange(codePoints, first, last) {
  for (let c = first; c <= last; c++) codePoints.add(c);
}

/** GB2312's level-1 hanzi (the 3,755 most common), from its rows 0xB0-0xD7 as GB18030 decodes them. */
function gb2312Level1(codePoints) {
  const decoder = new TextDecoder("gb18030");
  for (let row = 0xb0; row <= 0xd7; row++) {
    // Row 0xD7 stops at 0xF9: its last five positions are empty.
    for (let col = 0xa1; col <= (row === 0xd7 ? 0xf9 : 0xfe); col++) {
      codePoints.add(decoder.decode(new Uint8Array([row, col])).codePointAt(0));
    }
  }
}

function filesBelow(dir, extension) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every code point the font must draw: Latin, punctuation, common hanzi, and the CJK in the labels and the bundled topic names. */
export function chartCodePoints(root) {
  const codePoints = new Set();
  addRange(codePoints, 0x20, 0x7e);
  addRange(codePoints, 0xa0, 0xff);
  addRange(codePoints, 0x2010, 0x2027); // dashes, quotes, bullet, ellipsis
  addRange(codePoints, 0x2030, 0x203a);
  addRange(codePoints, 0x2190, 0x2193);
  addRange(codePoints, 0x2212, 0x2212);
  addRange(codePoints, 0x3000, 0x301f);
  addRange(codePoints, 0xff01, 0xff5e);
  gb2312Level1(codePoints);
  const sources = [...filesBelow(join(root, "src"), ".ts"), ...filesBelow(join(root, "seeds", "topics"), ".yaml")];
  for (const file of sources) {
    for (const [character] of readFileSync(file, "utf8").matchAll(cjkText)) codePoints.add(character.codePointAt(0));
  }
  return [...codePoints].sort((a, b) => a - b);
}

/** The regular weight's WOFF2 slices, each with the code points it covers (from the package's css). */
function slices(fontDir) {
  const css = readFileSync(join(fontDir, "css.css"), "utf8");
  return [...css.matchAll(/src: url\(([^)]+)\)[^;]*;\s*unicode-range: ([^;]+);/g)].map(([, file, ranges]) => ({
    file: join(fontDir, file),
    ranges: ranges.split(",").map((range) => {
      const [first, last] = range.trim().replace(/^U\+/i, "").split("-");
      return [Number.parseInt(first, 16), Number.parseInt(last ?? first, 16)];
    }),
  }));
}

async function makeFont(fontDir, codePoints) {
  const { createFont, woff2 } = await import("fonteditor-core");
  await woff2.init();
  const wanted = new Set(codePoints);
  const covered = (slice) => [...wanted].filter((c) => slice.ranges.some(([first, last]) => c >= first && c <= last));
  // The Latin slice is the base: its tables (names, metrics) are the font's; the other slices give only glyphs.
  const all = slices(fontDir).sort((a, b) => Number(covered(b).includes(0x41)) - Number(covered(a).includes(0x41)));
  let base;
  const drawn = new Set();
  for (const slice of all) {
    const subset = covered(slice);
    if (subset.length === 0) continue;
    const font = createFont(readFileSync(slice.file), { type: "woff2", subset, compound2simple: true });
    const glyphs = font.get().glyf;
    if (!base) {
      base = font;
      for (const glyph of glyphs) for (const c of glyph.unicode ?? []) drawn.add(c);
      continue;
    }
    // Neighbouring slices repeat a few code points; a TTF maps each to one glyph.
    for (const glyph of glyphs) {
      const fresh = (glyph.unicode ?? []).filter((c) => !drawn.has(c));
      if (fresh.length === 0) continue;
      for (const c of fresh) drawn.add(c);
      glyph.unicode = fresh;
      base.get().glyf.push(glyph);
    }
  }
  // The slices carry the variable font's default names ("Noto Sans SC Thin") although their outlines are the regular weight.
  Object.assign(base.get().name, {
    fontFamily: family,
    fontSubFamily: "Regular",
    fullName: `${family} Regular`,
    uniqueSubFamily: `${family} Regular (study-bot subset)`,
    postScriptName: "NotoSansSC-Regular",
  });
  return { ttf: base.write({ type: "ttf", toBuffer: true }), glyphs: drawn.size };
}

/** Writes fonts/NotoSansSC-chart.ttf unless the one there was made from the same inputs. */
export async function buildChartFont(root) {
  const fontDir = dirname(require.resolve("noto-sans-sc/noto_sans_sc_regular/css.css"));
  const codePoints = chartCodePoints(root);
  const versionOf = (name) => JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
  const key = createHash("sha256")
    .update(readFileSync(new URL(import.meta.url)))
    .update(`${versionOf("noto-sans-sc")} ${versionOf("fonteditor-core")} ${codePoints.join(",")}`)
    .digest("hex");
  const out = join(root, "fonts", chartFontName);
  const keyFile = `${out}.key`;
  if (existsSync(out) && existsSync(keyFile) && readFileSync(keyFile, "utf8") === key) return;
  const started = performance.now();
  const { ttf, glyphs } = await makeFont(fontDir, codePoints);
  mkdirSync(dirname(out), { recursive: true });
  // Written aside and renamed: a build stopped halfway leaves no truncated font behind.
  writeFileSync(`${out}.tmp`, ttf);
  renameSync(`${out}.tmp`, out);
  writeFileSync(keyFile, key);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.error(`study-bot build: ${chartFontName}, ${glyphs} characters, ${Math.round(ttf.length / 1024)} KB, in ${seconds} s`);
}
