import { PNG } from "pngjs";

/** Decodes a PNG and reads pixels as #rrggbb. */
export function decodePng(bytes: Buffer) {
  const png = PNG.sync.read(bytes);
  return {
    width: png.width,
    height: png.height,
    colorAt(x: number, y: number): string {
      const i = (png.width * y + x) * 4;
      return `#${[png.data[i], png.data[i + 1], png.data[i + 2]].map((v) => (v ?? 0).toString(16).padStart(2, "0")).join("")}`;
    },
  };
}
