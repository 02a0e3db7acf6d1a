import type { InstallationStore } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { PermanentDeliveryError } from "../../core/ports.ts";

/** How long a member's admin status (users.info) is trusted before Slack is asked again. */
const adminCacheMs = 5 * 60_000;

/** A workspace's bot token, and who is an admin there. */
export class WorkspaceAccess {
  private readonly adminCache = new Map<string, { admin: boolean; at: number }>();

  constructor(
    private readonly web: WebClient,
    private readonly o: { botToken?: string; installationStore?: InstallationStore; admins: ReadonlySet<string> },
  ) {}

  /** The bot token for a workspace: the single configured one, or the one its OAuth install stored. */
  async tokenFor(teamId: string): Promise<string> {
    if (!this.o.installationStore) return this.o.botToken as string;
    const installation = await this.o.installationStore.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    const token = installation.bot?.token;
    if (!token) throw new PermanentDeliveryError("no bot token stored for this workspace: reinstall the app");
    return token;
  }

  /** Workspace admins and owners (users.info, cached a few minutes) and the members listed in STUDY_ADMINS. */
  async isAdmin(teamId: string, userId: string): Promise<boolean> {
    if (this.o.admins.has(userId)) return true;
    const key = `${teamId}:${userId}`;
    const cached = this.adminCache.get(key);
    if (cached && Date.now() - cached.at < adminCacheMs) return cached.admin;
    const info = await this.web.users.info({ token: await this.tokenFor(teamId), user: userId });
    const admin = Boolean(info.user?.is_admin || info.user?.is_owner || info.user?.is_primary_owner);
    this.adminCache.set(key, { admin, at: Date.now() });
    return admin;
  }

  /** The member is the only workspace admin or owner (users.list, every page) and STUDY_ADMINS names no one else. */
  async soleAdmin(teamId: string, userId: string): Promise<boolean> {
    if ([...this.o.admins].some((id) => id !== userId)) return false;
    const token = await this.tokenFor(teamId);
    const admins = new Set<string>(this.o.admins);
    let cursor: string | undefined;
    do {
      const page = await this.web.users.list({ token, limit: 200, ...(cursor ? { cursor } : {}) });
      for (const user of page.members ?? []) {
        if (user.deleted || user.is_bot || !user.id) continue;
        if (user.is_admin || user.is_owner || user.is_primary_owner) admins.add(user.id);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return admins.size === 1 && admins.has(userId);
  }
}
