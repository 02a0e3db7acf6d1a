import { type Block, privateReply, type Reply } from "../../core/message.ts";
import type { Scope } from "../../core/scope.ts";
import type { Kernel } from "../kernel.ts";
import * as privacy from "./privacy.repository.ts";
import { privacyStrings } from "./strings.ts";

/** /study privacy: a member hides their name from public surfaces, or shows it again; admins see who is hidden. */
export class Privacy {
  constructor(private readonly k: Kernel) {}

  async status(scope: Scope, isAdmin: () => Promise<boolean>): Promise<Reply> {
    const s = privacyStrings(scope.settings.language);
    const hidden = await privacy.isHidden(this.k.db, scope.memberId);
    const blocks: Block[] = [
      { type: "header", text: s.title },
      { type: "text", text: hidden ? s.hiddenNow : s.shownNow },
      { type: "context", text: `${hidden ? s.howToShow : s.howToHide} ${s.adminsSee}` },
    ];
    if (await isAdmin())
      blocks.push({ type: "text", text: s.hiddenMembers(await privacy.hiddenMemberNames(this.k.db, scope.workspaceId)) });
    return privateReply(blocks);
  }

  async choose(scope: Scope, hidden: boolean): Promise<Reply> {
    const s = privacyStrings(scope.settings.language);
    // A member who never studied is stored now, so that the choice holds from their first answer.
    await this.k.scopes.ensureMember(scope);
    const changed = await privacy.setHidden(this.k.db, scope.memberId, hidden);
    const text = hidden ? (changed ? s.nowHidden : s.alreadyHidden) : changed ? s.nowShown : s.alreadyShown;
    return privateReply([{ type: "text", text }]);
  }

  /** Names the hidden members for the dashboard's admin page. */
  hiddenMemberNames(workspaceId: string): Promise<string[]> {
    return privacy.hiddenMemberNames(this.k.db, workspaceId);
  }
}
