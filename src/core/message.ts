/** Platform-neutral output: adapters render it as Block Kit, embeds and buttons, or plain text. */

export interface Link {
  label: string;
  url: string;
}

export interface Button {
  /** What the click means to the core, e.g. `answer`, `read`. */
  action: string;
  /** Data the click carries back, e.g. `roundId:2`. */
  value: string;
  label: string;
  /** A one-key shortcut for text adapters: 1-6 for choices, r for Mark as read. */
  key: string;
  style?: "primary";
}

export type Block =
  | { type: "header"; text: string }
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "fields"; fields: Array<{ label: string; value: string }> }
  | { type: "links"; links: Link[] }
  | { type: "context"; text: string }
  | { type: "table"; columns: string[]; rows: string[][] }
  | { type: "buttons"; buttons: Button[] };

/** A picture that goes with a message (Slack file upload, Discord attachment, a file beside the console). */
export interface Image {
  name: string;
  png: Buffer;
  alt: string;
}

export interface OutMessage {
  /** The whole message as plain text: notifications, fallbacks, logs. */
  text: string;
  blocks: Block[];
  image?: Image;
  /**
   * Files for the asker of a private reply (a pack's export, a member's export): Discord attachments (at most 10 with
   * the picture, 25 MiB in all), uploads to the member's direct messages with the app on Slack, files beside the console.
   */
  files?: OutFile[];
}

export interface OutFile {
  name: string;
  content: Buffer;
}

/** A text field of a form; `initial` fills it in (an edit). */
export interface FormField {
  id: string;
  label: string;
  /** Several lines (Slack multiline, Discord paragraph; the console takes one line per field). */
  multiline?: boolean;
  optional?: boolean;
  maxLength: number;
  initial?: string;
}

/**
 * A form (Slack modal, Discord modal, console prompts): at most five text fields (Discord's limit), or, with `file`, one
 * file input of those types (only Slack asks for files this way), or, with `channel`, a channel picker (only a click on a
 * Slack home, which has no channel, asks this way). Submitting it is a click on `action` with the texts typed, by field
 * id, the uploaded file, or the picked channel's platform id as the input `channel`.
 */
export interface Form {
  title: string;
  action: string;
  value: string;
  fields: FormField[];
  file?: { label: string; types: string[] };
  channel?: { label: string };
}

/** What a command or click answers with: only the asker sees a private reply; a reply with a form asks for input first. */
export interface Reply {
  visibility: "private" | "public";
  message: OutMessage;
  form?: Form;
  /** For a public reply: the adapter calls it when the post failed, so what was claimed for it (a cooldown) is let go. */
  onPostFailed?: () => void;
}

/** Builds a message whose plain text is derived from its blocks, so the two never disagree. */
export function message(blocks: Block[]): OutMessage {
  return { text: blocks.map(blockText).filter(Boolean).join("\n"), blocks };
}

export const privateReply = (blocks: Block[]): Reply => ({ visibility: "private", message: message(blocks) });
export const publicReply = (blocks: Block[]): Reply => ({ visibility: "public", message: message(blocks) });

function blockText(block: Block): string {
  switch (block.type) {
    case "header":
    case "text":
    case "context":
    case "code":
      return block.text;
    case "fields":
      return block.fields.map((f) => `${f.label}: ${f.value}`).join("\n");
    case "links":
      return block.links.map((l) => `${l.label}: ${l.url}`).join("\n");
    case "table":
      return [block.columns, ...block.rows].map((row) => row.join(" | ")).join("\n");
    case "buttons":
      return "";
  }
}
