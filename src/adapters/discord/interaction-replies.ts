import { ComponentType, TextInputStyle } from "discord.js";
import type { Form, Reply } from "../../core/message.ts";
import { customId } from "./embeds.ts";

/** How long an interaction waits for the core before it is deferred: Discord wants a first answer within 3 seconds. */
const quickReplyMs = 2000;

/** The core's answer if it comes within quickReplyMs; undefined when it is still working. */
export function quickly(work: Promise<Reply[]>): Promise<Reply[] | undefined> {
  const later = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, quickReplyMs, undefined);
    void work.finally(() => clearTimeout(timer));
  });
  return Promise.race([work, later]);
}

/** A Discord modal: one text input per field (Discord allows five), labels of at most 45 characters. */
export function modalOf(form: Form) {
  return {
    custom_id: customId("form", `${form.action}|${form.value}`),
    title: form.title.slice(0, 45),
    components: form.fields.map((field) => ({
      type: ComponentType.ActionRow as const,
      components: [
        {
          type: ComponentType.TextInput as const,
          custom_id: field.id,
          style: field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
          label: field.label.slice(0, 45),
          required: !field.optional,
          max_length: Math.min(field.maxLength, 4000),
          ...(field.initial ? { value: field.initial.slice(0, 4000) } : {}),
        },
      ],
    })),
  };
}
