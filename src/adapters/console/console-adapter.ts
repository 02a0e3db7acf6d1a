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
  /** Where pictures (heatmaps, recap charts, as PNG) and exported packs are written. */
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
  /** A form waiting for its one line of input. */
  private pendingForm: Form | undefined;
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
    const form = this.pendingForm;
    this.pendingForm = undefined;
    let replies: Reply[];
    if (form) {
      replies = await sink.click({ address, actor, action: form.action, value: form.value, input: line });
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
      if (reply.form) this.pendingForm = reply.form;
    }
  }

  private show(message: OutMessage, ref: MessageRef | undefined): void {
    for (const block of message.blocks) {
      if (block.type !== "buttons") continue;
      for (const button of block.buttons) this.buttons.set(button.key, { button, ref });
    }
    let saved = "";
    for (const file of [message.image && { name: message.image.name, content: message.image.png }, message.file]) {
      if (!file) continue;
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
