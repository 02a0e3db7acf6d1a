import type { Block, Button, OutMessage } from "../../core/message.ts";
import { tableLines } from "../../core/table.ts";

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
    case "table":
      return tableLines(block.columns, block.rows).join("\n");
    case "buttons":
      return block.buttons.map((b: Button) => `[${b.key}] ${b.label}`).join("  ");
  }
}
