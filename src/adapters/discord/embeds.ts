import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from "discord.js";
import { ButtonStyle, ComponentType, escapeMarkdown } from "discord.js";
import type { OutMessage } from "../../core/message.ts";
import { tableLines } from "../../core/table.ts";

// Discord limits: embed title 256, description 4096, 25 fields (value 1024), footer 2048, 5 buttons per row, 5 rows, label 80, custom_id 100.
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The core's text is plain: names and notes must not turn into Discord markdown, headings, lists or masked links. */
const plain = (text: string) => escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
/** Inside a code block only a backtick can break out: it becomes a look-alike (U+02CB). */
const codeBlock = (text: string) => `\`\`\`\n${text.replaceAll("`", "ˋ")}\n\`\`\``;

export interface DiscordMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
}

/** custom_id of a button: the core's action and value. */
export const customId = (action: string, value: string) => `${action}|${value}`;

export function parseCustomId(id: string): { action: string; value: string } {
  const at = id.indexOf("|");
  return at < 0 ? { action: id, value: "" } : { action: id.slice(0, at), value: id.slice(at + 1) };
}

/** One embed per message: header as title, text, code, links and tables in the description, fields, context as footer. */
export function toDiscord(message: OutMessage): DiscordMessage {
  const embed: APIEmbed = { color: 0x1d3557 };
  const description: string[] = [];
  const footer: string[] = [];
  const buttons: APIButtonComponent[] = [];
  for (const block of message.blocks) {
    switch (block.type) {
      case "header":
        embed.title = clip(plain(block.text), 256);
        break;
      case "text":
        description.push(plain(block.text));
        break;
      case "code":
        description.push(codeBlock(block.text));
        break;
      case "links":
        description.push(block.links.map((l) => `[${plain(l.label)}](${l.url})`).join("\n"));
        break;
      case "table":
        description.push(codeBlock(tableLines(block.columns, block.rows).join("\n")));
        break;
      case "fields":
        embed.fields = block.fields
          .slice(0, 25)
          .map((f) => ({ name: clip(plain(f.label), 256), value: clip(plain(f.value) || "-", 1024), inline: true }));
        break;
      case "context":
        // Footers render no markdown.
        footer.push(block.text);
        break;
      case "buttons":
        for (const b of block.buttons) {
          buttons.push({
            type: ComponentType.Button,
            style: b.style === "primary" ? ButtonStyle.Primary : ButtonStyle.Secondary,
            label: clip(b.label, 80),
            custom_id: customId(b.action, b.value).slice(0, 100),
          });
        }
        break;
    }
  }
  if (description.length > 0) embed.description = clip(description.join("\n\n"), 4096);
  if (message.image) embed.image = { url: `attachment://${message.image.name}` };
  if (footer.length > 0) embed.footer = { text: clip(footer.join(" · "), 2048) };
  const components: DiscordMessage["components"] = [];
  for (let i = 0; i < buttons.length && components.length < 5; i += 5) {
    components.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  }
  return { embeds: [embed], components };
}
