import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { type Language, type Strings, strings } from "../../core/i18n.ts";
import type { Button, Form, OutMessage, Reply } from "../../core/message.ts";
import type { ChannelAddress, ChatAdapter, EventSink, MessageRef } from "../../core/ports.ts";
import { ansiStyle, plainStyle, renderText, type Style } from "./render-text.ts";

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** The local user: the console workspace's only member and its admin. */
  user: string;
  /** Colours and a prompt when a person is typing; plain lines when input is piped. */
  interactive: boolean;
  /** Where pictures (heatmaps, recap charts, as PNG) and exported files (packs, study histories) are written. */
  imageDir: string;
  /** The deployment's language, for the console's own lines (default en). */
  language?: Language;
}

const address: ChannelAddress = { platform: "console", workspaceId: "local", channelId: "general" };

/** The bot in a terminal: one workspace, one channel, one member; `/study ...` lines are commands, keys press buttons. */
export class ConsoleAdapter implements ChatAdapter {
  readonly platform = "console" as const;
  private readonly style: Style;
  private readonly buttons = new Map<string, { button: Button; ref: MessageRef | undefined }>();
  private posted = 0;
  /** A form being filled in: its fields are asked one line each, in order. */
  private pendingForm: { form: Form; field: number; inputs: Record<string, string> } | undefined;
  private ended: Promise<void> | undefined;

  /** The adapter's own messages, in the deployment's language. */
  private readonly t: Strings;

  constructor(private readonly options: ConsoleOptions) {
    this.style = options.interactive ? ansiStyle : plainStyle;
    this.t = strings(options.language ?? "en");
  }

  /** Reads lines until input ends; `finished()` resolves then. */
  async start(sink: EventSink): Promise<void> {
    this.write(this.style.dim(this.t.consoleWelcome(this.options.user)));
    this.ended = this.readLines(sink);
  }

  finished(): Promise<void> {
    return this.ended ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.options.input.pause();
  }

  async post(_address: ChannelAddress, message: OutMessage): Promise<MessageRef> {
    const ref = `m${++this.posted}`;
    this.show(message, ref);
    return ref;
  }

  async tell(_address: ChannelAddress, _userId: string, message: OutMessage): Promise<void> {
    this.show(message, undefined);
  }

  /** The console's one member is its only admin. */
  async soleAdmin(): Promise<boolean> {
    return true;
  }

  async update(_address: ChannelAddress, ref: MessageRef, message: OutMessage): Promise<void> {
    // A live answer count is noise in a one-person terminal: show edits that end a round (no answer buttons left).
    if (message.blocks.some((b) => b.type === "buttons" && b.buttons.some((button) => button.action === "answer"))) return;
    for (const [key, entry] of this.buttons) if (entry.ref === ref) this.buttons.delete(key);
    this.show(message, ref);
  }

  private async readLines(sink: EventSink): Promise<void> {
    const lines = createInterface({ input: this.options.input, terminal: false });
    this.prompt();
    for await (const raw of lines) {
      const line = raw.trim();
      // An empty line is a valid answer to a form (no note); otherwise it is nothing.
      if (line !== "" || this.pendingForm) await this.handle(sink, line);
      this.prompt();
    }
  }

  private async handle(sink: EventSink, line: string): Promise<void> {
    const actor = { userId: this.options.user, displayName: this.options.user, isAdmin: async () => true };
    const pressed = this.buttons.get(line.toLowerCase());
    const pending = this.pendingForm;
    let replies: Reply[];
    if (pending) {
      const inputs = this.fillIn(pending, line);
      if (!inputs) return;
      this.pendingForm = undefined;
      replies = await sink.click({ address, actor, action: pending.form.action, value: pending.form.value, inputs });
    } else if (/^\/study(\s|$)/.test(line)) {
      replies = await sink.command({ address, actor, text: line.slice("/study".length), workspaceName: "console" });
    } else if (pressed) {
      replies = await sink.click({ address, actor, action: pressed.button.action, value: pressed.button.value, messageRef: pressed.ref });
    } else {
      this.write(this.t.consoleHint([...this.buttons.keys()].join(", ")));
      return;
    }
    for (const reply of replies) {
      this.show(reply.message, undefined);
      if (reply.form) this.startForm(reply.form);
    }
  }

  private startForm(form: Form): void {
    this.pendingForm = { form, field: 0, inputs: {} };
    this.askField(form, 0);
  }

  private askField(form: Form, index: number): void {
    const field = form.fields[index];
    if (!field) return;
    // A form of one field was already introduced by the message that came with it.
    if (form.fields.length === 1 && !field.initial) return;
    const current = field.initial ? `\n${this.t.consoleKeep(field.initial)}` : "";
    this.write(`${field.label}${current}`);
  }

  /** Takes a line for the form being filled in; returns every field's text once the last one is given. */
  private fillIn(pending: NonNullable<ConsoleAdapter["pendingForm"]>, line: string): Record<string, string> | undefined {
    const field = pending.form.fields[pending.field];
    // "-" keeps what an edit filled in.
    if (field) pending.inputs[field.id] = line === "-" && field.initial !== undefined ? field.initial : line;
    pending.field++;
    if (pending.field < pending.form.fields.length) {
      this.askField(pending.form, pending.field);
      return undefined;
    }
    return pending.inputs;
  }

  private show(message: OutMessage, ref: MessageRef | undefined): void {
    for (const block of message.blocks) {
      if (block.type !== "buttons") continue;
      for (const button of block.buttons) this.buttons.set(button.key, { button, ref });
    }
    let saved = "";
    const picture = message.image ? [{ name: message.image.name, content: message.image.png }] : [];
    for (const file of [...picture, ...(message.files ?? [])]) {
      mkdirSync(this.options.imageDir, { recursive: true });
      const path = join(this.options.imageDir, file.name);
      writeFileSync(path, file.content);
      saved += `\nSaved as ${path}`;
    }
    this.write(`${renderText(message, this.style)}${saved}\n`);
  }

  private prompt(): void {
    if (this.options.interactive) this.options.output.write(`${this.options.user}> `);
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n`);
  }
}
