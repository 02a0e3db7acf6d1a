/**
 * Discord's rules for application commands, as its documentation states them: what a registration must respect
 * (https://discord.com/developers/docs/interactions/application-commands#registering-a-command) and what an interaction
 * can carry (only a registered command, subcommand and options, in a server the member may use it in).
 */
type Json = Record<string, unknown>;
type Option = {
  type: number;
  name: string;
  description?: string;
  required?: boolean;
  choices?: Json[];
  autocomplete?: boolean;
  options?: Option[];
};
export type CommandDefinition = Json & { name: string; options?: Option[] };

const namePattern = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const subcommand = 1;
const subcommandGroup = 2;
const stringOption = 3;
const attachmentOption = 11;

/** The errors Discord would answer 50035 Invalid Form Body with, one line per problem. */
export function registrationErrors(definitions: CommandDefinition[]): string[] {
  const errors: string[] = [];
  if (definitions.length > 100) errors.push("at most 100 chat input commands");
  const names = new Set<string>();
  for (const command of definitions) {
    const at = command.name;
    if (names.has(command.name)) errors.push(`${at}: duplicate command name`);
    names.add(command.name);
    checkNamed(command as unknown as Option, at, errors);
    // Every name, description and choice counts toward one command's 4,000 characters.
    if (characters(command as unknown as Option) > 4000) errors.push(`${at}: more than 4000 characters in total`);
    checkOptions(command.options ?? [], at, errors, true);
  }
  return errors;
}

function checkNamed(item: Option, at: string, errors: string[]): void {
  if (!namePattern.test(item.name) || item.name !== item.name.toLowerCase()) errors.push(`${at}: name must be 1-32 lowercase characters`);
  const description = item.description ?? "";
  if (description.length < 1 || description.length > 100) errors.push(`${at}: description must be 1-100 characters`);
}

function checkOptions(options: Option[], at: string, errors: string[], topLevel: boolean): void {
  if (options.length > 25) errors.push(`${at}: at most 25 options`);
  const grouping = options.filter((o) => o.type === subcommand || o.type === subcommandGroup).length;
  if (grouping > 0 && grouping < options.length) errors.push(`${at}: subcommands cannot sit beside other options`);
  if (grouping > 0 && !topLevel && options.some((o) => o.type === subcommandGroup)) errors.push(`${at}: groups nest one level only`);
  let optionalSeen = false;
  const names = new Set<string>();
  for (const option of options) {
    const where = `${at} ${option.name}`;
    checkNamed(option, where, errors);
    if (names.has(option.name)) errors.push(`${where}: duplicate option name`);
    names.add(option.name);
    if (option.type === subcommand || option.type === subcommandGroup) {
      checkOptions(option.options ?? [], where, errors, false);
      continue;
    }
    if (option.required && optionalSeen) errors.push(`${where}: required options must come before optional ones`);
    if (!option.required) optionalSeen = true;
    const choices = option.choices ?? [];
    if (choices.length > 25) errors.push(`${where}: at most 25 choices`);
    if (choices.length > 0 && option.autocomplete) errors.push(`${where}: autocomplete cannot have choices`);
    for (const choice of choices) {
      const name = String(choice.name ?? "");
      if (name.length < 1 || name.length > 100) errors.push(`${where}: choice name must be 1-100 characters`);
      if (option.type === stringOption && String(choice.value).length > 100) errors.push(`${where}: choice value over 100 characters`);
    }
  }
}

function characters(item: Option): number {
  const own = item.name.length + (item.description ?? "").length;
  const choices = (item.choices ?? []).reduce((sum, c) => sum + String(c.name).length + String(c.value).length, 0);
  return own + choices + (item.options ?? []).reduce((sum, o) => sum + characters(o), 0);
}

/**
 * Why Discord would never send this interaction (undefined when it would): a command, subcommand or option that was not
 * registered, a value outside an option's choices, a required option missing, or a member without the command's
 * default_member_permissions (unless the server opened the command to everyone: `openToEveryone`).
 */
export function interactionError(
  payload: Json,
  registered: CommandDefinition[],
  openToEveryone: ReadonlySet<string> = new Set(),
): string | undefined {
  const data = payload.data as { name: string; options?: Array<Json & { name: string; type: number; options?: Json[] }> };
  const command = registered.find((c) => c.name === data.name);
  if (!command) return `/${data.name} was never registered`;
  const needed = command.default_member_permissions as string | null | undefined;
  const held = BigInt(((payload.member as Json | undefined)?.permissions as string | undefined) ?? "0");
  if (needed && !openToEveryone.has(command.name) && (held & BigInt(needed)) !== BigInt(needed))
    return `/${data.name} is hidden from members without ${needed}`;
  let declared = command.options ?? [];
  let given = data.options ?? [];
  let path = `/${data.name}`;
  const sub = given[0];
  if (declared.some((o) => o.type === subcommand)) {
    const match = declared.find((o) => o.type === subcommand && o.name === sub?.name);
    if (!sub || sub.type !== subcommand || !match) return `${path} ${sub?.name ?? ""} is no registered subcommand`;
    path = `${path} ${sub.name}`;
    declared = match.options ?? [];
    given = (sub.options ?? []) as typeof given;
  }
  const autocomplete = payload.type === 4;
  const resolved = (payload.data as { resolved?: { attachments?: Json } }).resolved;
  for (const option of given) {
    const match = declared.find((o) => o.name === option.name);
    if (!match || match.type !== option.type) return `${path}: option ${option.name} was not registered with type ${option.type}`;
    // An attachment option's value is the id of a file Discord received and lists in resolved.attachments.
    if (option.type === attachmentOption && !resolved?.attachments?.[String(option.value)]) {
      return `${path}: attachment ${String(option.value)} is not in resolved.attachments`;
    }
    const choices = match.choices ?? [];
    if (!autocomplete && choices.length > 0 && !choices.some((c) => c.value === option.value)) {
      return `${path}: ${String(option.value)} is not one of ${option.name}'s choices`;
    }
  }
  const missing = declared.find((o) => o.required && !given.some((g) => g.name === o.name));
  if (missing && !autocomplete) return `${path}: required option ${missing.name} is missing`;
  return undefined;
}

/**
 * What Discord refuses in a modal response: one to a modal submission, a title or custom id out of bounds, other than 1
 * to 5 action rows of one text input each, or a text input whose custom id repeats, whose label is empty or over 45
 * characters, whose style is not 1 or 2, whose max_length is outside 1-4000, or whose value is longer than it.
 */
export function modalErrors(data: Record<string, unknown> | undefined, interactionType: number | undefined): string[] {
  const errors: string[] = [];
  if (interactionType === 5) errors.push("a modal submission cannot be answered with another modal");
  const title = String(data?.title ?? "");
  if (title.length < 1 || title.length > 45) errors.push("title: must be 1 to 45 characters");
  const customId = String(data?.custom_id ?? "");
  if (customId.length < 1 || customId.length > 100) errors.push("custom_id: must be 1 to 100 characters");
  const rows = (data?.components as Array<{ type: number; components?: Array<Record<string, unknown>> }> | undefined) ?? [];
  if (rows.length < 1 || rows.length > 5) errors.push("components: must have 1 to 5 action rows");
  const ids = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const inputs = row.components ?? [];
    if (row.type !== 1 || inputs.length !== 1) errors.push(`components.${i}: an action row holds one text input`);
    for (const input of inputs) {
      const id = String(input.custom_id ?? "");
      if (input.type !== 4) errors.push(`components.${i}: must be a text input (type 4)`);
      if (id.length < 1 || id.length > 100 || ids.has(id)) errors.push(`components.${i}.custom_id: must be 1 to 100 characters and unique`);
      ids.add(id);
      const label = String(input.label ?? "");
      if (label.length < 1 || label.length > 45) errors.push(`components.${i}.label: must be 1 to 45 characters`);
      if (input.style !== 1 && input.style !== 2) errors.push(`components.${i}.style: must be 1 or 2`);
      const max = Number(input.max_length ?? 4000);
      if (!Number.isInteger(max) || max < 1 || max > 4000) errors.push(`components.${i}.max_length: must be 1 to 4000`);
      if (String(input.value ?? "").length > max) errors.push(`components.${i}.value: longer than max_length`);
    }
  }
  return errors;
}
