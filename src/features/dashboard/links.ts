import { createHmac, timingSafeEqual } from "node:crypto";

/** How long a dashboard link opens: a day, then the member asks for a new one. */
export const linkLifetimeMs = 24 * 60 * 60 * 1000;

/** What a link grants: one member's view of one workspace, with admin pages when the member was an admin. */
export interface DashboardGrant {
  workspaceId: string;
  memberId: string;
  admin: boolean;
  /** When the link stops opening (ms since the epoch). */
  expiresAt: number;
}

/**
 * Signed dashboard links (HMAC-SHA256 with DASHBOARD_SECRET): nothing is stored, so rotating the secret revokes every
 * link at once.
 */
export class DashboardLinks {
  constructor(
    /** The bot's public base URL (DASHBOARD_URL), without a trailing slash. */
    readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  /** The link a member gets from /study dashboard (and the homes), valid for a day from `now`. */
  linkFor(grant: Omit<DashboardGrant, "expiresAt">, now: Date): string {
    return `${this.baseUrl.replace(/\/+$/, "")}/dashboard/${this.sign({ ...grant, expiresAt: now.getTime() + linkLifetimeMs })}`;
  }

  sign(grant: DashboardGrant): string {
    const payload = Buffer.from(JSON.stringify([grant.workspaceId, grant.memberId, grant.admin ? 1 : 0, grant.expiresAt])).toString(
      "base64url",
    );
    return `${payload}.${this.mac(payload)}`;
  }

  /** The grant of a token, or undefined when it is malformed, tampered with, signed with another secret or expired. */
  verify(token: string, now: Date): DashboardGrant | undefined {
    const [payload, mac, extra] = token.split(".");
    if (!payload || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const [workspaceId, memberId, admin, expiresAt] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      if (typeof workspaceId !== "string" || typeof memberId !== "string" || typeof expiresAt !== "number") return undefined;
      if (expiresAt <= now.getTime()) return undefined;
      return { workspaceId, memberId, admin: admin === 1, expiresAt };
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.secret).update(`study-bot dashboard v1.${payload}`).digest("base64url");
  }
}
