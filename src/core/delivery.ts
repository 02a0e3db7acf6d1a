import { Gate } from "./gate.ts";
import type { OutMessage } from "./message.ts";
import type { ChannelAddress, ChatAdapter, Logger, MessageRef, Platform } from "./ports.ts";

const defaultFanOut: Record<Platform, number> = { slack: 20, discord: 10, console: 1 };

/** The adapters by platform, the limit on posts in flight to each, and work that runs after a reply. */
export class Delivery {
  private readonly adapters = new Map<Platform, ChatAdapter>();
  /** Posts in flight per platform, at most its fan-out: a digest pass runs more channels at once than it posts. */
  private readonly postGates = new Map<Platform, Gate>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly log: Logger,
    private readonly fanOutLimits: Partial<Record<Platform, number>> = {},
  ) {}

  add(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  /** The adapter of a platform, if one is registered. */
  find(platform: Platform): ChatAdapter | undefined {
    return this.adapters.get(platform);
  }

  adapterFor(platform: Platform): ChatAdapter {
    const adapter = this.adapters.get(platform);
    if (!adapter) throw new Error(`no adapter for platform ${platform}`);
    return adapter;
  }

  fanOut(platform: Platform): number {
    return this.fanOutLimits[platform] ?? defaultFanOut[platform];
  }

  /** Posts a message, never more than the platform's fan-out at once. */
  post(address: ChannelAddress, message: OutMessage, options?: { key?: string }): Promise<MessageRef> {
    let gate = this.postGates.get(address.platform);
    if (!gate) {
      gate = new Gate(this.fanOut(address.platform));
      this.postGates.set(address.platform, gate);
    }
    return gate.run(() => this.adapterFor(address.platform).post(address, message, options));
  }

  update(address: ChannelAddress, ref: MessageRef, message: OutMessage): Promise<void> {
    return this.adapterFor(address.platform).update(address, ref, message);
  }

  /** Tells a member something privately where the platform can (see ChatAdapter.tell); a failure is logged, not thrown. */
  async tell(address: ChannelAddress, userId: string, message: OutMessage): Promise<void> {
    try {
      await this.adapters.get(address.platform)?.tell?.(address, userId, message);
    } catch (error) {
      this.log.warn({ err: error, address, userId }, "could not tell the member privately");
    }
  }

  /** Whether the platform shows the member as the workspace's only admin (false where it cannot say). */
  async soleAdmin(address: ChannelAddress, userId: string): Promise<boolean> {
    return (await this.adapters.get(address.platform)?.soleAdmin?.(address.workspaceId, userId)) ?? false;
  }

  /** Runs work after the current reply; a failure is logged, never thrown at the member. */
  inBackground(work: () => Promise<unknown>): void {
    const task = new Promise((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error) => this.log.error({ err: error }, "background work failed"))
      .finally(() => this.background.delete(task));
    this.background.add(task);
  }

  /** Waits for work started after a reply: tests and shutdown use it. */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }
}
