import type { OutMessage, Reply } from "./message.ts";

/** Logging the core and the adapters need; pino satisfies it. */
export interface Logger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** A post the platform refused for good (channel gone, bot removed): retrying will not help. */
export class PermanentDeliveryError extends Error {}

/** The database stayed locked by another process (a backup, `digest run-due`) for longer than a request may wait. */
export class DatabaseBusyError extends Error {
  constructor() {
    super("the database is busy: another process holds its write lock");
  }
}

export type Platform = "console" | "slack" | "discord";

/** Where a message goes: a channel of a workspace on one platform, in the platform's own ids. */
export interface ChannelAddress {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  /** A thread of the channel (Slack: its root message's ts; Discord: the thread's channel id). */
  threadId?: string;
}

/** The platform's handle of a posted message (Slack ts, Discord message id), used to edit it. */
export type MessageRef = string;

export interface Actor {
  userId: string;
  displayName: string;
  /** Asked only when a command needs it (Slack: users.info; Discord: Manage Server; console: always). */
  isAdmin: () => Promise<boolean>;
  /** The groups the platform says the member is in, when it says so with each event (Discord roles). */
  groups?: string[];
}

/** `/study <text>` typed by a member in a channel. */
export interface CommandInvocation {
  address: ChannelAddress;
  workspaceName?: string;
  actor: Actor;
  text: string;
  /** A file sent with the command (a Discord attachment option), already downloaded. */
  file?: CommandFile;
  raw?: unknown;
}

export interface CommandFile {
  name: string;
  bytes: Uint8Array;
}

/** The largest file a command or form takes (a question pack): adapters refuse a bigger one before downloading it. */
export const maxUploadBytes = 1024 * 1024;

/** A button click on a message the bot posted. */
export interface ButtonClick {
  address: ChannelAddress;
  actor: Actor;
  action: string;
  value: string;
  /** The file uploaded with a form (Slack's file input), already downloaded. */
  file?: CommandFile;
  /** The texts typed into a form, by field id, when the click is a form submission. */
  inputs?: Record<string, string>;
  messageRef?: MessageRef;
  /**
   * The click came from the member's home (Slack's App Home tab), which has no channel: `address` is the member's direct
   * messages (Slack takes the user id as a channel), where replies go.
   */
  fromHome?: boolean;
  raw?: unknown;
}

/** A member who opened their home (Slack's App Home tab). */
export interface HomeViewer {
  platform: Platform;
  workspaceId: string;
  userId: string;
  isAdmin: () => Promise<boolean>;
}

/** The core's face to adapters. */
export interface EventSink {
  /** Runs a command; returns what to show the asker (public posts such as rounds go through the adapter). */
  command(invocation: CommandInvocation): Promise<Reply[]>;
  /** Handles a click; returns private feedback for the clicker. */
  click(click: ButtonClick): Promise<Reply[]>;
  /** A workspace's topics whose id or name starts with (or contains) `query`, for platforms that autocomplete options. */
  suggestTopics(
    query: string,
    language: "en" | "zh",
    workspace: { platform: Platform; workspaceId: string },
  ): Promise<Array<{ id: string; name: string }>>;
  /**
   * A member opened their home: the core publishes it through ChatAdapter.publishHome, and again after their answers
   * while this process remembers them.
   */
  homeOpened(viewer: HomeViewer): Promise<void>;
  /** The bot was removed from a workspace: its subscriptions stop, marked failing with the reason. */
  workspaceRemoved(workspace: { platform: Platform; workspaceId: string }, reason: string): Promise<void>;
}

/** Transport for one platform: renders the core's messages and delivers the platform's events. */
export interface ChatAdapter {
  /** The platform user ids in a group (Slack user group); optional: without it, squads use the groups members were seen in. */
  groupMembers?(workspaceId: string, groupId: string): Promise<string[]>;
  /**
   * Starts a thread on a posted message, named `name`, and returns its id for ChannelAddress.threadId; idempotent (a
   * thread the message already has is returned). Optional: without it, messages meant for a thread go to the channel.
   */
  openThread?(address: ChannelAddress, rootRef: MessageRef, name: string): Promise<string>;
  /**
   * Tells one member something privately outside a reply (Slack: an ephemeral message in `address`; Discord: a direct
   * message); optional: without it, nothing is sent.
   */
  tell?(address: ChannelAddress, userId: string, message: OutMessage): Promise<void>;
  /**
   * Gives a role to `to` and takes it from `from` (Discord's champion role); throws an Error saying why it could not;
   * optional: platforms without roles have none.
   */
  moveRole?(workspaceId: string, roleId: string, from: string | undefined, to: string | undefined): Promise<void>;
  /** Whether the member is the workspace's only admin as far as the platform shows; optional: without it, never. */
  soleAdmin?(workspaceId: string, userId: string): Promise<boolean>;
  /** Shows a member their home (Slack: views.publish of the App Home tab); optional: elsewhere /study me shows it. */
  publishHome?(workspaceId: string, userId: string, message: OutMessage): Promise<void>;
  /** Finds a message posted earlier with `key`; optional: where the platform can search, a lost confirmation is recovered. */
  findPosted?(address: ChannelAddress, key: string, since: Date): Promise<MessageRef | undefined>;
  readonly platform: Platform;
  /** Posts a public message to a channel; `key` identifies it for de-duplication where the platform supports it. */
  post(address: ChannelAddress, message: OutMessage, options?: { key?: string }): Promise<MessageRef>;
  /** Starts delivering events to the sink. */
  start(sink: EventSink): Promise<void>;
  /** Stops taking events and releases connections. */
  stop(): Promise<void>;
  /** Replaces a posted message (results of a closed round, a new answer count). */
  update(address: ChannelAddress, ref: MessageRef, message: OutMessage): Promise<void>;
}
