import { type Button, privateReply, type Reply } from "../../core/message.ts";
import type { Scope } from "../../core/scope.ts";
import type { Kernel } from "../kernel.ts";
import { forgetMember, memberRowCounts } from "./forget-member.ts";
import { forgetStrings } from "./strings.ts";

/** How long the Delete my data button works after /study forget-me. */
export const confirmLifetimeMs = 10 * 60_000;

/** A part of the process that remembers members (stored rows, committed days, last channels). */
export interface MemberMemory {
  forgetMember(memberId: string): void;
}

/** /study forget-me: what the bot stores about the asker, then, on their confirmation, all of it deleted. */
export class ForgetMe {
  constructor(
    private readonly k: Kernel,
    private readonly memories: readonly MemberMemory[],
  ) {}

  async ask(scope: Scope): Promise<Reply> {
    const s = forgetStrings(scope.settings.language);
    const { db } = this.k;
    const storedSince = await this.storedSince(scope.memberId);
    if (storedSince === undefined) return privateReply([{ type: "text", text: s.nothingStored }]);
    const c = await memberRowCounts(db, scope.memberId);
    // The buttons name who asked, when, and the member row they meant: only they can confirm, only for a while, and
    // not again once they came back as a new member.
    const value = `${this.k.clock.now().getTime()}:${storedSince}:${scope.userId}`;
    const buttons: Button[] = [
      { action: "forget-confirm", value, label: s.confirm, key: "y" },
      { action: "forget-cancel", value, label: s.cancel, key: "n" },
    ];
    const counts = { ...c, squads: c.member_groups };
    return privateReply([
      { type: "header", text: s.title },
      { type: "text", text: `${s.willDelete}\n${s.rows(counts)}` },
      ...(c.reports > 0 ? [{ type: "text" as const, text: s.staysReports(c.reports) }] : []),
      { type: "context", text: s.stays },
      { type: "buttons", buttons },
    ]);
  }

  async confirm(scope: Scope, value: string): Promise<Reply> {
    const s = forgetStrings(scope.settings.language);
    const refused = this.refusal(scope, value, true);
    if (refused) return privateReply([{ type: "text", text: refused }]);
    const [, storedSince] = value.split(":");
    const stored = await this.storedSince(scope.memberId);
    if (stored === undefined) return privateReply([{ type: "text", text: s.alreadyGone }]);
    if (String(stored) !== storedSince) return privateReply([{ type: "text", text: s.expired }]);
    const changed = await forgetMember(this.k.db, scope.memberId);
    this.forgotten(scope.workspaceId, scope.memberId);
    this.k.log.info({ member: scope.memberId, rows: changed }, "member forgotten at their request");
    return privateReply([{ type: "text", text: changed ? s.done : s.alreadyGone }]);
  }

  async cancel(scope: Scope, value: string): Promise<Reply> {
    const s = forgetStrings(scope.settings.language);
    return privateReply([{ type: "text", text: this.refusal(scope, value, false) ?? s.cancelled }]);
  }

  /** After a member's rows are gone (here or by `study-bot member forget`), nothing in this process remembers them. */
  forgotten(workspaceId: string, memberId: string): void {
    this.k.scopes.forgetMember(memberId);
    for (const memory of this.memories) memory.forgetMember(memberId);
    // An approved question of theirs changed its credit line.
    this.k.catalog.forgetTeam(workspaceId);
  }

  /** When the member's row was created, in ms; undefined when the member is not stored. */
  private async storedSince(memberId: string): Promise<number | undefined> {
    const row = await this.k.db.selectFrom("members").select("created_at").where("id", "=", memberId).executeTakeFirst();
    return row && new Date(row.created_at).getTime();
  }

  /** Why a click on the confirmation's buttons is refused: another member's click, or (to delete) a stale one. */
  private refusal(scope: Scope, value: string, checkAge: boolean): string | undefined {
    const s = forgetStrings(scope.settings.language);
    const [askedAtText = "", storedSince = "", ...member] = value.split(":");
    const askedAt = Number(askedAtText);
    if (storedSince === "" || member.join(":") !== scope.userId) {
      this.k.log.warn({ member: scope.memberId }, "forget-me confirmation refused: another member's button");
      return s.notYours;
    }
    const age = this.k.clock.now().getTime() - askedAt;
    if (checkAge && !(age >= 0 && age <= confirmLifetimeMs)) return s.expired;
    return undefined;
  }
}
