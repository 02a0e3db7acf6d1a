import type { Strings } from "../../core/i18n.ts";
import type { Form } from "../../core/message.ts";
import { type ChannelAddress, type CommandFile, maxUploadBytes } from "../../core/ports.ts";

/** The callback id of every modal the bot opens: its view listener routes the submission back to the core. */
export const formCallbackId = "study-form";

/** What the view listener needs again when the modal comes back. */
export interface FormMetadata {
  form: Form;
  address: ChannelAddress;
  user: string;
  /** Opened from the member's home: what the submission answers goes to their direct messages. */
  home?: boolean;
}

/** What Slack puts in a submitted file input's state: the uploaded file's metadata, not its bytes. */
interface SlackFile {
  name: string;
  size: number;
  url_private: string;
}

/** A modal: the form's text inputs, a file input for a form that asks for a file, or a channel picker. */
export function formView(metadata: FormMetadata, submitText: string) {
  const { form } = metadata;
  const blocks = form.channel
    ? [
        {
          type: "input" as const,
          block_id: "channel",
          optional: false,
          label: plain(form.channel.label.slice(0, 2000)),
          // Public and private channels only: a quiz is for the team, not a direct message.
          element: {
            type: "conversations_select" as const,
            action_id: "channel",
            filter: { include: ["public" as const, "private" as const], exclude_bot_users: true },
          },
        },
      ]
    : form.file
      ? [
          {
            type: "input" as const,
            block_id: "input",
            optional: false,
            label: plain(form.file.label.slice(0, 2000)),
            element: { type: "file_input" as const, action_id: "file", filetypes: form.file.types, max_files: 1 },
          },
        ]
      : form.fields.map((field) => ({
          type: "input" as const,
          block_id: field.id,
          optional: field.optional ?? false,
          label: plain(field.label.slice(0, 2000)),
          element: {
            type: "plain_text_input" as const,
            action_id: "text",
            multiline: field.multiline ?? false,
            max_length: Math.min(field.maxLength, 3000),
            ...(field.initial ? { initial_value: field.initial } : {}),
          },
        }));
  // private_metadata holds at most 3000 characters: the form goes back without what filled it in.
  const stored: FormMetadata = { ...metadata, form: { ...form, fields: form.fields.map(({ initial: _, ...field }) => field) } };
  return {
    type: "modal" as const,
    callback_id: formCallbackId,
    private_metadata: JSON.stringify(stored),
    title: plain(form.title.slice(0, 24)),
    submit: plain(submitText),
    blocks,
  };
}

const plain = (text: string) => ({ type: "plain_text" as const, text });

/**
 * The texts submitted in a form, by field id, and the picked channel as `channel`; the form comes back in
 * private_metadata, which a client can change.
 */
export function submittedTexts(form: Form, values: Record<string, Record<string, unknown>>): Record<string, string> {
  const fields = Array.isArray(form.fields) ? form.fields : [];
  const texts = Object.fromEntries(
    fields.map((f) => [String(f.id), String((values[f.id]?.text as { value?: string | null } | undefined)?.value ?? "")]),
  );
  if (!form.channel) return texts;
  const picked = (values.channel?.channel as { selected_conversation?: string | null } | undefined)?.selected_conversation;
  return { ...texts, channel: String(picked ?? "") };
}

/**
 * The file submitted in a form's file input, fetched with the bot token (files:read) and refused over the upload limit
 * before fetching; or what to tell the member instead.
 */
export async function submittedFile(
  values: Record<string, Record<string, unknown>>,
  token: () => Promise<string>,
  t: Strings,
): Promise<CommandFile | string> {
  const file = (values.input?.file as { files?: SlackFile[] } | undefined)?.files?.[0];
  if (!file) return t.attachPackFile;
  if (file.size > maxUploadBytes) return t.fileTooLarge(file.size, maxUploadBytes);
  const response = await fetch(file.url_private, { headers: { authorization: `Bearer ${await token()}` } }).catch(() => undefined);
  if (!response?.ok) return t.fileUnreadable(file.name);
  return { name: file.name, bytes: new Uint8Array(await response.arrayBuffer()) };
}
