import { type Language, maxWordLength, type Strings } from "./i18n.ts";
import type { Reply } from "./message.ts";
import type { CommandFile, Platform } from "./ports.ts";
import type { Scope } from "./scope.ts";

/** Input a member can fix: the message and the usage line of the command they tried. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string | undefined,
  ) {
    super(message);
  }
}

/** An option of a command as platforms with typed options (Discord) show it; on text platforms it is a word. */
export interface CommandOption {
  name: string;
  description: string;
  /**
   * text: free text; topic: free text with topic suggestions; member: a user picker; choice: one of `choices`; file: an
   * uploaded file (a Discord attachment; its name is the word), whose bytes reach `run` with the invocation.
   */
  kind: "text" | "topic" | "member" | "choice" | "file";
  required?: boolean;
  choices?: ReadonlyArray<{ name: string; value: string }>;
}

/**
 * One command: the words after `/study` that select it, how to parse what follows, who may run it, and what it does.
 * The parser, /study help, the admin check and the Discord command definitions are all derived from these.
 */
export interface CommandDeclaration<Services, Args = unknown> {
  /** ["quiz"], or ["config", "squad"] for a command reached through another's first word. */
  path: readonly string[];
  usage: string;
  /** The line in /study help; commands reached through another's words are described by that one's line. */
  help?: Record<Language, string>;
  /** anyone; admin; or admin-to-change: reading is anyone's, giving arguments (a change) is an admin's. */
  access: "anyone" | "admin" | "admin-to-change";
  /** One-line English description for platforms that list commands (Discord). */
  description: string;
  /** For admin-to-change: the description of the changing form, which such platforms list among admin commands. */
  changeDescription?: string;
  /** Only on these platforms (a file path names a file only on the console); on all when absent. */
  platforms?: readonly Platform[];
  /** The words after the path, in order; a text platform takes them as typed. */
  options: readonly CommandOption[];
  /** Turns the words after the path into arguments; calls `fail` with a message for the member. Reads and writes nothing. */
  parse(words: string[], fail: (message: string) => never, t: Strings): Args;
  run(services: Services, scope: Scope, args: Args, input: { file?: CommandFile; isAdmin: () => Promise<boolean> }): Promise<Reply[]>;
}

/** A button (or form) action on a message the bot posted. */
export interface ActionDeclaration<Services> {
  /** The action id the core puts on buttons; adapters route every declared id to the core. */
  action: string;
  /** admin: only an admin's click runs it (a form that changes the workspace); anyone's otherwise. */
  access?: "admin";
  /** The click changes what the member's home shows (an answer): their home is published again soon after. */
  refreshesHome?: boolean;
  run(
    services: Services,
    scope: Scope,
    click: { value: string; inputs: Record<string, string>; file?: CommandFile; fromHome?: boolean },
  ): Promise<Reply>;
}

/** Declarations with their parse results: what `parseCommandText` returns. */
export interface ParsedCommand<Services> {
  declaration: CommandDeclaration<Services>;
  args: unknown;
  /** True when this invocation needs an admin. */
  adminOnly: boolean;
}

/** Turns the text after `/study` into a declared command and its arguments, or throws UsageError. */
export function parseCommandText<S>(declarations: ReadonlyArray<CommandDeclaration<S>>, text: string, t: Strings): ParsedCommand<S> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const long = words.find((word) => word.length > maxWordLength);
  if (long) throw new UsageError(t.tooLong(long.slice(0, 20)), undefined);
  const declaration = findDeclaration(declarations, words);
  const helpUsage = declarations.find((d) => d.path.length === 1 && d.path[0] === "help")?.usage;
  if (!declaration) throw new UsageError(t.unknownSubcommand(words[0] ?? ""), helpUsage);
  const usage = declaration.usage;
  const fail = (message: string): never => {
    throw new UsageError(message, usage);
  };
  const rest = words.slice(declaration.path.length);
  const args = declaration.parse(rest, fail, t);
  const adminOnly = declaration.access === "admin" || (declaration.access === "admin-to-change" && rest.length > 0);
  return { declaration, args, adminOnly };
}

/** The declaration with the longest path the words start with (no words: help); case does not matter. */
export function findDeclaration<S>(declarations: ReadonlyArray<CommandDeclaration<S>>, words: string[]): CommandDeclaration<S> | undefined {
  const lower = words.length > 0 ? words.map((w) => w.toLowerCase()) : ["help"];
  let found: CommandDeclaration<S> | undefined;
  for (const candidate of declarations) {
    const matches = candidate.path.every((word, i) => lower[i] === word);
    if (matches && candidate.path.length > (found?.path.length ?? 0)) found = candidate;
  }
  return found;
}

/** The commands a platform offers. */
export function declarationsOn<S>(
  declarations: ReadonlyArray<CommandDeclaration<S>>,
  platform: Platform,
): ReadonlyArray<CommandDeclaration<S>> {
  return declarations.filter((d) => !d.platforms || d.platforms.includes(platform));
}

/** Parse helper for commands that take nothing. */
export function noWords(words: string[], fail: (message: string) => never, t: Strings): void {
  if (words.length > 0) fail(t.tooManyArguments);
}

/** The /study help lines: each listed command's usage and its description in the language. */
export function helpLines<S>(declarations: ReadonlyArray<CommandDeclaration<S>>, language: Language): string[] {
  return declarations.flatMap((d) => (d.help ? [`${d.usage.padEnd(44)} ${d.help[language]}`] : []));
}
