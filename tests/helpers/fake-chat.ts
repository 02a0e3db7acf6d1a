import type { Button, Form, OutMessage, Reply } from "../../src/core/message.ts";
import type { ChannelAddress, ChatAdapter, EventSink, MessageRef, Platform } from "../../src/core/ports.ts";

export interface Posted {
  address: ChannelAddress;
  ref: MessageRef;
  message: OutMessage;
  key?: string;
  edits: OutMessage[];
}

/** A chat platform in memory: tests speak to the bot as members do and read what it posted. */
export class FakeChat implements ChatAdapter {
  readonly posts: Posted[] = [];
  private sink: EventSink | undefined;
  /** Platform groups (Discord roles) each user is reported in, sent with their events. */
  readonly groupsOf = new Map<string, string[]>();
  /** Set to make the next posts fail with this error. */
  failWith: Error | undefined;
  /** Set to hold posts until it resolves (to line up work that races). */
  holdPosts: Promise<void> | undefined;
  /** Edits of these messages fail with the error; each failed try is counted in failedUpdates. */
  readonly failUpdatesOf = new Map<MessageRef, Error>();
  readonly failedUpdates: MessageRef[] = [];
  /** What the bot told members privately outside a reply (ChatAdapter.tell). */
  readonly told: Array<{ address: ChannelAddress; userId: string; text: string }> = [];
  /** Users the platform shows as their workspace's only admin. */
  readonly soleAdmins = new Set<string>();

  constructor(readonly platform: Platform = "console") {}

  async start(sink: EventSink): Promise<void> {
    this.sink = sink;
  }
  async stop(): Promise<void> {}

  async post(address: ChannelAddress, message: OutMessage, options?: { key?: string }): Promise<MessageRef> {
    await this.holdPosts;
    if (this.failWith) throw this.failWith;
    const ref = `msg-${this.posts.length + 1}`;
    this.posts.push({ address, ref, message, key: options?.key, edits: [] });
    return ref;
  }

  async findPosted(address: ChannelAddress, key: string): Promise<MessageRef | undefined> {
    return this.posts.find((p) => p.key === key && p.address.channelId === address.channelId)?.ref;
  }

  /** Threads opened on posted messages: root ref -> name. */
  readonly threads = new Map<MessageRef, string>();

  async openThread(_address: ChannelAddress, rootRef: MessageRef, name: string): Promise<string> {
    if (!this.threads.has(rootRef)) this.threads.set(rootRef, name);
    return `thread-${rootRef}`;
  }

  async tell(address: ChannelAddress, userId: string, message: OutMessage): Promise<void> {
    this.told.push({ address, userId, text: message.text });
  }

  async soleAdmin(_workspaceId: string, userId: string): Promise<boolean> {
    return this.soleAdmins.has(userId);
  }

  async update(_address: ChannelAddress, ref: MessageRef, message: OutMessage): Promise<void> {
    const failure = this.failUpdatesOf.get(ref);
    if (failure) {
      this.failedUpdates.push(ref);
      throw failure;
    }
    const post = this.posts.find((p) => p.ref === ref);
    if (!post) throw new Error(`no message ${ref}`);
    post.edits.push(message);
  }

  /** `/study <text>` from a member. */
  say(user: string, text: string, where: Partial<ChannelAddress> = {}, admin = true): Promise<Reply[]> {
    return this.connected().command({
      address: this.address(where),
      actor: { userId: user, displayName: user, isAdmin: async () => admin, groups: this.groupsOf.get(user) },
      text,
    });
  }

  /** A member presses the button with `key` on a posted message (the latest with that key by default). */
  press(user: string, key: string, options: { post?: Posted; where?: Partial<ChannelAddress> } = {}): Promise<Reply[]> {
    const post = options.post ?? [...this.posts].reverse().find((p) => buttonsOf(p.message).some((b) => b.key === key));
    const button = post && buttonsOf(post.message).find((b) => b.key === key);
    if (!post || !button) throw new Error(`no button ${key}`);
    return this.pressButton(user, button, options.where ?? post.address);
  }

  pressButton(user: string, button: Button, where: Partial<ChannelAddress> = {}, admin = false): Promise<Reply[]> {
    return this.connected().click({
      address: this.address(where),
      actor: { userId: user, displayName: user, isAdmin: async () => admin, groups: this.groupsOf.get(user) },
      action: button.action,
      value: button.value,
    });
  }

  /** A member submits a form the bot asked for, with the texts typed into it by field id. */
  submitForm(
    user: string,
    form: Form,
    inputs: Record<string, string>,
    where: Partial<ChannelAddress> = {},
    admin = false,
  ): Promise<Reply[]> {
    return this.connected().click({
      address: this.address(where),
      actor: { userId: user, displayName: user, isAdmin: async () => admin },
      action: form.action,
      value: form.value,
      inputs,
    });
  }

  /** Posts that are rounds (they carry answer buttons). */
  rounds(): Posted[] {
    return this.posts.filter((p) => buttonsOf(p.message).some((b) => b.action === "answer"));
  }

  digests(): Posted[] {
    return this.posts.filter((p) => p.key?.startsWith("digest:"));
  }

  private address(where: Partial<ChannelAddress>): ChannelAddress {
    return { platform: this.platform, workspaceId: "T1", channelId: "C1", ...where };
  }

  private connected(): EventSink {
    if (!this.sink) throw new Error("start the fake first");
    return this.sink;
  }
}

/** A platform that lists a group's members (as Slack lists a user group's), counting every time it is asked. */
export class GroupListingChat extends FakeChat {
  /** Member user ids of each group. */
  readonly groups = new Map<string, string[]>();
  /** Every group asked for, in order. */
  readonly groupCalls: string[] = [];

  async groupMembers(_workspaceId: string, groupId: string): Promise<string[]> {
    this.groupCalls.push(groupId);
    return this.groups.get(groupId) ?? [];
  }
}

export function buttonsOf(message: OutMessage): Button[] {
  return message.blocks.flatMap((b) => (b.type === "buttons" ? b.buttons : []));
}

/** A reply's plain text, for assertions. */
export const textOf = (replies: Reply[]) => replies.map((r) => r.message.text).join("\n");
