/**
 * Block Kit's documented limits for messages, checked as Slack checks them: a message that breaks one is refused with
 * invalid_blocks and a list of errors, each with the JSON pointer of the offending field.
 * https://docs.slack.dev/reference/block-kit/blocks (section, header, context, actions, divider, image) and
 * https://docs.slack.dev/reference/block-kit/block-elements/button-element
 */
type Json = Record<string, unknown>;

/** A message holds at most 50 blocks; a modal or a Home tab view, 100. */
export function blockKitErrors(blocks: unknown, maxBlocks = 50): string[] {
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return ["must be an array [json-pointer:/blocks]"];
  const errors: string[] = [];
  const error = (message: string, pointer: string) => errors.push(`${message} [json-pointer:${pointer}]`);
  if (blocks.length > maxBlocks) error(`no more than ${maxBlocks} items allowed`, "/blocks");
  const blockIds = new Set<string>();
  blocks.forEach((block: Json, i) => {
    const at = `/blocks/${i}`;
    if (typeof block.block_id === "string") {
      if (block.block_id.length > 255) error("must be less than 256 characters", `${at}/block_id`);
      if (blockIds.has(block.block_id)) error("block_id must be unique", `${at}/block_id`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case "section": {
        const fields = block.fields as Json[] | undefined;
        if (!block.text && !fields) error("must provide either text or fields", at);
        if (block.text) textObject(block.text, 3000, `${at}/text`, error);
        if (fields) {
          if (fields.length > 10) error("no more than 10 items allowed", `${at}/fields`);
          for (const [j, f] of fields.entries()) textObject(f, 2000, `${at}/fields/${j}`, error);
        }
        break;
      }
      case "header":
        textObject(block.text, 150, `${at}/text`, error, "plain_text");
        break;
      case "context": {
        const elements = (block.elements as Json[] | undefined) ?? [];
        if (elements.length === 0 || elements.length > 10) error("must have between 1 and 10 items", `${at}/elements`);
        elements.forEach((e, j) => {
          if (e.type !== "image") textObject(e, 3000, `${at}/elements/${j}`, error);
        });
        break;
      }
      case "actions": {
        const elements = (block.elements as Json[] | undefined) ?? [];
        if (elements.length === 0 || elements.length > 25) error("must have between 1 and 25 items", `${at}/elements`);
        const actionIds = new Set<string>();
        elements.forEach((e, j) => {
          const ep = `${at}/elements/${j}`;
          if (e.type !== "button") return;
          textObject(e.text, 75, `${ep}/text`, error, "plain_text");
          if (typeof e.action_id === "string") {
            if (e.action_id.length > 255) error("must be less than 256 characters", `${ep}/action_id`);
            if (actionIds.has(e.action_id)) error("action_id must be unique in the block", `${ep}/action_id`);
            actionIds.add(e.action_id);
          }
          if (typeof e.value === "string" && e.value.length > 2000) error("must be less than 2001 characters", `${ep}/value`);
          if (e.style !== undefined && e.style !== "primary" && e.style !== "danger") error("must be primary or danger", `${ep}/style`);
        });
        break;
      }
      case "divider":
        break;
      case "image":
        if (typeof block.alt_text !== "string" || block.alt_text.length > 2000) error("must be 1-2000 characters", `${at}/alt_text`);
        break;
      default:
        error(`unsupported block type ${String(block.type)}`, `${at}/type`);
    }
  });
  return errors;
}

function textObject(
  value: unknown,
  max: number,
  pointer: string,
  error: (message: string, pointer: string) => void,
  only?: "plain_text",
): void {
  const text = value as Json | undefined;
  if (!text || (text.type !== "plain_text" && text.type !== "mrkdwn")) {
    error("must be a text object", pointer);
    return;
  }
  if (only && text.type !== only) error(`must be ${only}`, `${pointer}/type`);
  const length = typeof text.text === "string" ? text.text.length : 0;
  if (length < 1) error("must be more than 0 characters", `${pointer}/text`);
  if (length > max) error(`must be less than ${max + 1} characters`, `${pointer}/text`);
}

/**
 * What Slack refuses in a modal (its view and Block Kit references): a title or submit label over 24 characters, private
 * metadata over 3000, more than 100 blocks, repeated block ids, an input label over 2000, a plain text input whose
 * max_length is outside 1-3000 or whose initial value is longer than it; a file input outside an input block, max_files
 * outside 1-10, or without files:read.
 */
export function viewErrors(view: Record<string, unknown>, scopes: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const textOf = (field: unknown) => String((field as { text?: string } | undefined)?.text ?? "");
  if (textOf(view.title).length > 24) problems.push("[ERROR] must be less than 25 characters [json-pointer:/view/title/text]");
  if (textOf(view.submit).length > 24) problems.push("[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]");
  if (String(view.private_metadata ?? "").length > 3000)
    problems.push("[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]");
  const blocks = (view.blocks as Array<Record<string, unknown>> | undefined) ?? [];
  if (blocks.length > 100) problems.push("[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]");
  const ids = blocks.map((b) => b.block_id).filter((id) => id !== undefined);
  if (new Set(ids).size < ids.length) problems.push("[ERROR] block_id must be unique [json-pointer:/view/blocks]");
  for (const block of blocks) {
    if (block.type === "input" && textOf(block.label).length > 2000) problems.push("[ERROR] label must be less than 2001 characters");
    const input = block.element as Record<string, unknown> | undefined;
    if (input?.type === "plain_text_input") {
      const max = Number(input.max_length ?? 3000);
      if (!Number.isInteger(max) || max < 1 || max > 3000) problems.push("[ERROR] max_length must be 1 to 3000");
      if (String(input.initial_value ?? "").length > max) problems.push("[ERROR] initial_value must not be longer than max_length");
    }
    const element = block.element as Record<string, unknown> | undefined;
    const inside = [element, ...((block.elements as Array<Record<string, unknown>> | undefined) ?? [])];
    for (const item of inside) {
      if (item?.type !== "file_input") continue;
      if (block.type !== "input") problems.push("[ERROR] file_input must be the element of an input block");
      const max = Number(item.max_files ?? 10);
      if (!Number.isInteger(max) || max < 1 || max > 10) problems.push("[ERROR] max_files must be 1 to 10");
      if (!scopes.has("files:read")) problems.push("[ERROR] file_input needs the files:read scope");
    }
  }
  return problems;
}
