import type { types } from "@slack/bolt";
import type { Block, OutMessage } from "../../core/message.ts";
import { tableLines } from "../../core/table.ts";

// Block Kit limits: header text 150 chars, section text 3000, button text 75, 10 fields, 25 buttons per actions block.
const limits = { header: 150, section: 3000, button: 75, fields: 10, buttons: 25 };

type SlackBlock = types.KnownBlock;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The message's plain text (notifications, fallbacks), escaped like the blocks: Slack parses mentions in it too. */
export const fallbackText = (message: OutMessage) => escapeMrkdwn(message.text);

/** Slack sends typed &, < and > as entities (its own <…> tokens stay raw): the text as the member typed it. */
export const unescapeSlackText = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

const section = (text: string): SlackBlock => ({ type: "section", text: { type: "mrkdwn", text: clip(text, limits.section) } });

export function toBlockKit(message: OutMessage): SlackBlock[] {
  return message.blocks.flatMap((block, index) => renderBlock(block, index));
}

function renderBlock(block: Block, index: number): SlackBlock[] {
  switch (block.type) {
    case "header":
      return [{ type: "header", text: { type: "plain_text", text: clip(block.text, limits.header), emoji: true } }];
    case "text":
      return [section(escapeMrkdwn(block.text))];
    case "code":
      return [section(`\`\`\`${escapeMrkdwn(block.text)}\`\`\``)];
    case "context":
      return [{ type: "context", elements: [{ type: "mrkdwn", text: clip(escapeMrkdwn(block.text), limits.section) }] }];
    case "fields":
      return [
        {
          type: "section",
          fields: block.fields
            .slice(0, limits.fields)
            .map((f) => ({ type: "mrkdwn" as const, text: `*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}` })),
        },
      ];
    case "links":
      return [section(block.links.map((l) => `<${l.url}|${escapeMrkdwn(l.label)}>`).join("\n"))];
    case "table":
      return [section(`\`\`\`${escapeMrkdwn(tableLines(block.columns, block.rows).join("\n"))}\`\`\``)];
    case "buttons":
      return [
        {
          type: "actions",
          block_id: `actions-${index}`,
          elements: block.buttons.slice(0, limits.buttons).map((b, i) => ({
            type: "button" as const,
            // action_id must be unique within the block; the action name before ':' is what the bot routes on.
            action_id: `${b.action}:${i}`,
            text: { type: "plain_text", text: clip(b.label, limits.button), emoji: true },
            value: b.value,
            ...(b.style ? { style: b.style } : {}),
          })),
        },
      ];
  }
}
