import type { Block, Button, OutMessage } from "../../core/message.ts";

/** Terminal width of a string: CJK and emoji take two columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1FAFF}]/u.test(ch)
      ? 2
      : 1;
  return width;
}

const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - displayWidth(text)));

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
}

export const plainStyle: Style = { bold: (s) => s, dim: (s) => s };
export const ansiStyle: Style = { bold: (s) => `\x1b[1m${s}\x1b[22m`, dim: (s) => `\x1b[2m${s}\x1b[22m` };

/** A message as terminal lines: buttons become `[key] label` so a member types the key to press one. */
export function renderText(message: OutMessage, style: Style): string {
  return message.blocks.map((block) => renderBlock(block, style)).join("\n");
}

function renderBlock(block: Block, style: Style): string {
  switch (block.type) {
    case "header":
      return style.bold(`== ${block.text} ==`);
    case "text":
      return block.text;
    case "code":
      return block.text
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n");
    case "context":
      return style.dim(block.text);
    case "fields":
      return block.fields.map((f) => `${f.label}: ${f.value}`).join("\n");
    case "links":
      return block.links.map((l) => `${l.label}: ${l.url}`).join("\n");
    case "table": {
      const rows = [block.columns, ...block.rows];
      const widths = block.columns.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ""))));
      return rows
        .map((r) =>
          r
            .map((cell, i) => pad(cell, widths[i] ?? 0))
            .join("  ")
            .trimEnd(),
        )
        .join("\n");
    }
    case "buttons":
      return block.buttons.map((b: Button) => `[${b.key}] ${b.label}`).join("  ");
  }
}
