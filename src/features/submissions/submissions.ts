import { randomUUID } from "node:crypto";
import { stringify } from "yaml";
import { answerLetters } from "../../content/schema.ts";
import type { Language } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { type Block, type Button, message, type OutMessage, privateReply, type Reply } from "../../core/message.ts";
import type { ChannelAddress } from "../../core/ports.ts";
import { addressOf, type Scope } from "../../core/scope.ts";
import * as progress from "../../store/progress.repository.ts";
import type { Kernel } from "../kernel.ts";
import { type PackFile, type PackQuestion, readPackFile } from "../packs/pack-file.ts";
import * as packs from "../packs/packs.repository.ts";
import { publicName } from "../privacy/public-names.ts";
import { scoreEvent } from "../standings/score-event.ts";
import { type SubmissionStrings, submissionStrings } from "./strings.ts";
import { answerIndex, checkSubmission, type SubmissionText, splitChoices, submissionFields, submissionText } from "./submission-form.ts";
import * as submissions from "./submissions.repository.ts";

/** Points the author earns when their question is approved: a right answer to a ★★ question. */
export const submissionPoints = 20;
/** Submissions a member may have waiting for review at once. */
export const maxPending = 10;
/** The pack approved submissions go to, one per workspace. */
export const submissionsPackId = "team-submissions";
/** What approved submissions count as: ★★ (an admin can change it in the exported pack). */
const submittedDifficulty = 2;

/** Something that stops an approval inside its transaction: the transaction rolls back and the reviewer is told why. */
class ApprovalRefused extends Error {}

/**
 * Members submit questions through a form; they wait in the workspace's review channel, where admins approve (into the
 * team-submissions pack, crediting the author), edit or reject them (telling the author why, privately).
 */
export class Submissions {
  constructor(private readonly k: Kernel) {}

  /** /study submit: the form, when submissions are open and the member is under the pending limit. */
  async open(scope: Scope): Promise<Reply> {
    const s = textsOf(scope);
    if (!scope.settings.reviewChannel) return privateReply([{ type: "text", text: s.closed }]);
    if ((await submissions.countPending(this.k.db, scope.workspaceId, scope.memberId)) >= maxPending) {
      return privateReply([{ type: "text", text: s.limit(maxPending) }]);
    }
    return {
      ...privateReply([{ type: "text", text: s.intro }]),
      form: { title: s.formTitle, action: "submission-send", value: "new", fields: submissionFields(s) },
    };
  }

  /**
   * The member's form came back: a new submission (value "new") or their fix of a draft (its id). A submission that
   * does not pass the check is kept as the member's draft, with a button to fix it; one that does goes to review.
   */
  async send(scope: Scope, value: string, inputs: Record<string, string>): Promise<Reply> {
    const { settings } = scope;
    const s = textsOf(scope);
    const { db, clock } = this.k;
    const text = submissionText(inputs);
    const draft = value === "new" ? undefined : await submissions.getSubmission(db, value);
    if (draft && (draft.member_id !== scope.memberId || draft.status !== "draft")) return privateReply([{ type: "text", text: s.gone }]);
    await this.k.scopes.ensureMember(scope);
    const now = clock.now().toISOString();
    const { problems } = checkSubmission(s, text);
    if (!settings.reviewChannel) problems.push(s.closed);
    else if ((await submissions.countPending(db, scope.workspaceId, scope.memberId)) >= maxPending) problems.push(s.limit(maxPending));
    const id = draft?.id ?? randomUUID();
    const body = JSON.stringify(text);
    if (problems.length > 0) {
      if (draft) await submissions.updateSubmission(db, id, "draft", { body, updated_at: now });
      else await this.insert(scope, id, "draft", body, now);
      return problemsReply(s, problems, { action: "submission-fix", value: id, label: s.fix, key: "f", style: "primary" });
    }
    if (draft) await submissions.updateSubmission(db, id, "draft", { status: "pending", body, updated_at: now });
    else await this.insert(scope, id, "pending", body, now);
    const posted = await this.postForReview(scope, id);
    return privateReply([{ type: "text", text: posted ? s.sent : s.notPosted }]);
  }

  /** The member's own draft, back in the form as they left it. */
  async fix(scope: Scope, id: string): Promise<Reply> {
    const s = textsOf(scope);
    const draft = await submissions.getSubmission(this.k.db, id);
    if (!draft || draft.member_id !== scope.memberId || draft.status !== "draft") return privateReply([{ type: "text", text: s.gone }]);
    const text = JSON.parse(draft.body) as SubmissionText;
    return {
      ...privateReply([{ type: "text", text: s.intro }]),
      form: { title: s.formTitle, action: "submission-send", value: id, fields: submissionFields(s, text) },
    };
  }

  /** Edit (admin): the form filled in with the submission, or with the reviewer's last edit that did not pass. */
  async edit(scope: Scope, id: string): Promise<Reply> {
    const found = await this.pendingHere(scope, id);
    if ("refused" in found) return found.refused;
    const text = JSON.parse(found.row.draft ?? found.row.body) as SubmissionText;
    const s = textsOf(scope);
    return {
      ...privateReply([{ type: "text", text: s.editing(found.row.author) }]),
      form: { title: s.editTitle, action: "submission-save", value: id, fields: submissionFields(s, text) },
    };
  }

  /** The reviewer's edit came back: saved when it passes the check (the review message follows), kept aside when not. */
  async save(scope: Scope, id: string, inputs: Record<string, string>): Promise<Reply> {
    const s = textsOf(scope);
    const found = await this.pendingHere(scope, id);
    if ("refused" in found) return found.refused;
    const text = submissionText(inputs);
    const { problems } = checkSubmission(s, text);
    const now = this.k.clock.now().toISOString();
    if (problems.length > 0) {
      await submissions.updateSubmission(this.k.db, id, "pending", { draft: JSON.stringify(text), updated_at: now });
      return problemsReply(s, problems, { action: "submission-edit", value: id, label: s.edit, key: "u", style: "primary" });
    }
    const saved = await submissions.updateSubmission(this.k.db, id, "pending", {
      body: JSON.stringify(text),
      draft: null,
      updated_at: now,
    });
    if (!saved) return privateReply([{ type: "text", text: s.decided }]);
    await this.refreshReview(scope, id);
    return privateReply([{ type: "text", text: s.saved }]);
  }

  /**
   * Approve (admin, not the author unless the only admin): in one transaction, the submission is claimed, its question
   * added to the workspace's team-submissions pack with a credit line, and the author earns points.
   */
  async approve(scope: Scope, id: string): Promise<Reply> {
    const s = textsOf(scope);
    const found = await this.pendingHere(scope, id);
    if ("refused" in found) return found.refused;
    const { row } = found;
    if (row.member_id === scope.memberId && !(await this.k.delivery.soleAdmin(scope.address, scope.userId))) {
      return privateReply([{ type: "text", text: s.selfApproval }]);
    }
    const language = row.language as Language;
    const { question } = checkSubmission(submissionStrings(language), JSON.parse(row.body) as SubmissionText);
    if (!question) return privateReply([{ type: "text", text: s.gone }]);
    const now = this.k.clock.now();
    const questionId = `s-${id}`;
    try {
      await this.k.db.transaction().execute(async (trx) => {
        // One approval of a workspace at a time: its pack file is read, extended and written whole.
        await trx
          .updateTable("workspaces")
          .set((eb) => ({ review_channel: eb.ref("review_channel") }))
          .where("id", "=", scope.workspaceId)
          .execute();
        const claimed = await submissions.updateSubmission(trx, id, "pending", {
          status: "approved",
          decided_by: scope.memberId,
          question_id: packs.teamQuestionId(scope.workspaceId, submissionsPackId, questionId),
          draft: null,
          updated_at: now.toISOString(),
        });
        if (!claimed) throw new ApprovalRefused(s.decided);
        const current = await packs.packFileText(trx, scope.workspaceId, submissionsPackId);
        const pack = current === undefined ? undefined : readPackFile(Buffer.from(current)).pack;
        if (pack && pack.language !== language) throw new ApprovalRefused(s.packLanguage(submissionsPackId, pack.language ?? "en+zh"));
        const added: PackQuestion = {
          id: questionId,
          topic: question.topic,
          difficulty: submittedDifficulty,
          answer: answerLetters[question.answer] as PackQuestion["answer"],
          [language]: {
            prompt: question.prompt,
            choices: question.choices,
            explanation: `${question.explanation}\n\n${submissionStrings(language).submittedBy(publicName({ display_name: row.author, hidden: row.author_hidden }, language))}`,
          },
        };
        const next: PackFile = {
          id: submissionsPackId,
          title: pack?.title ?? submissionStrings(language).packTitle,
          ...(pack?.description && { description: pack.description }),
          ...(pack?.author && { author: pack.author }),
          language,
          questions: [...(pack?.questions ?? []), added],
        };
        const { id: _, ...header } = next;
        const file = stringify({ pack: next.id, ...header });
        const checked = readPackFile(Buffer.from(file));
        if (!checked.pack || checked.text === undefined) throw new ApprovalRefused(checked.problems.map((p) => p.message).join("; "));
        await packs.storePack(trx, scope.workspaceId, checked.pack, checked.text, now);
        const localDate = time.localDateOf(now, scope.settings.timezone);
        await progress.addScore(
          trx,
          scoreEvent({ workspaceId: scope.workspaceId, memberId: row.member_id }, now, localDate, submissionPoints, 0, 0),
        );
      });
    } catch (error) {
      if (error instanceof ApprovalRefused) return privateReply([{ type: "text", text: error.message }]);
      throw error;
    }
    this.k.catalog.forgetTeam(scope.workspaceId);
    await this.refreshReview(scope, id);
    await this.tellAuthor(row, s.approvedNotice(excerpt(question.prompt), question.topic, submissionPoints));
    return privateReply([{ type: "text", text: s.approved(row.author, question.topic) }]);
  }

  /** Reject (admin): a form for the reason, which the author is told. */
  async rejectForm(scope: Scope, id: string): Promise<Reply> {
    const found = await this.pendingHere(scope, id);
    if ("refused" in found) return found.refused;
    const s = textsOf(scope);
    return {
      ...privateReply([{ type: "text", text: s.reasonPrompt }]),
      form: {
        title: s.rejectTitle,
        action: "submission-reject",
        value: id,
        fields: [{ id: "reason", label: s.reasonLabel, multiline: true, maxLength: reasonLength }],
      },
    };
  }

  async reject(scope: Scope, id: string, inputs: Record<string, string>): Promise<Reply> {
    const s = textsOf(scope);
    const found = await this.pendingHere(scope, id);
    if ("refused" in found) return found.refused;
    const reason = (inputs.reason ?? "").trim().slice(0, reasonLength);
    if (reason === "") {
      const again: Button = { action: "submission-reject-form", value: id, label: s.reject, key: "x" };
      return privateReply([
        { type: "text", text: s.reasonNeeded },
        { type: "buttons", buttons: [again] },
      ]);
    }
    const decided = await submissions.updateSubmission(this.k.db, id, "pending", {
      status: "rejected",
      decided_by: scope.memberId,
      reason,
      draft: null,
      updated_at: this.k.clock.now().toISOString(),
    });
    if (!decided) return privateReply([{ type: "text", text: s.decided }]);
    await this.refreshReview(scope, id);
    const text = JSON.parse(found.row.body) as SubmissionText;
    await this.tellAuthor(found.row, s.rejectedNotice(excerpt(text.prompt), reason));
    return privateReply([{ type: "text", text: s.rejected(found.row.author) }]);
  }

  /** After the review channel is set: submissions waiting without a review message get one. */
  async postWaiting(scope: Scope): Promise<number> {
    let posted = 0;
    for (const id of await submissions.waitingForReviewPost(this.k.db, scope.workspaceId))
      if (await this.postForReview(scope, id)) posted++;
    return posted;
  }

  private async insert(scope: Scope, id: string, status: "draft" | "pending", body: string, now: string): Promise<void> {
    // A member keeps one draft: a new one replaces the last.
    if (status === "draft") await submissions.deleteDrafts(this.k.db, scope.workspaceId, scope.memberId);
    await submissions.insertSubmission(this.k.db, {
      id,
      workspace_id: scope.workspaceId,
      member_id: scope.memberId,
      channel_id: scope.channelId,
      language: scope.settings.language,
      status,
      body,
      draft: null,
      review_channel: null,
      review_ref: null,
      decided_by: null,
      reason: null,
      question_id: null,
      created_at: now,
      updated_at: now,
    });
  }

  /**
   * Posts a pending submission to the review channel and remembers the message; false when the platform refused. The
   * post is claimed first, so a submission sent while the review channel is being set is posted once.
   */
  private async postForReview(scope: Scope, id: string): Promise<boolean> {
    const channel = scope.settings.reviewChannel;
    const now = this.k.clock.now();
    const staleBefore = new Date(now.getTime() - this.k.staleClaimMs).toISOString();
    if (!channel || !(await submissions.claimReviewPost(this.k.db, id, channel, now.toISOString(), staleBefore))) return false;
    const row = await submissions.getSubmission(this.k.db, id);
    if (!row) return false;
    try {
      const ref = await this.k.delivery.post({ ...scope.address, channelId: channel }, reviewMessage(textsOf(scope), row));
      await submissions.setReviewRef(this.k.db, id, ref);
      return true;
    } catch (error) {
      this.k.log.warn({ err: error, submission: id, channel }, "review channel refused a submission");
      await submissions.setReviewRef(this.k.db, id, null);
      return false;
    }
  }

  /** Edits the review message to show the submission as it is now (its text, or who decided and how). */
  private async refreshReview(scope: Scope, id: string): Promise<void> {
    const row = await submissions.getSubmission(this.k.db, id);
    if (!row?.review_ref || !row.review_channel) return;
    const decider = row.decided_by ? scope.displayName : undefined;
    const address: ChannelAddress = { ...scope.address, channelId: row.review_channel };
    await this.k.delivery
      .update(address, row.review_ref, reviewMessage(textsOf(scope), row, decider))
      .catch((error) => this.k.log.warn({ err: error, submission: id }, "review message not updated"));
  }

  private async tellAuthor(row: submissions.SubmissionRow, text: string): Promise<void> {
    const userId = addressOf(row.member_id).channelId;
    await this.k.delivery.tell(addressOf(row.channel_id), userId, message([{ type: "text", text }]));
  }

  /** A pending submission of this workspace, or the reply that says why not. */
  private async pendingHere(scope: Scope, id: string): Promise<{ row: submissions.SubmissionWithAuthor } | { refused: Reply }> {
    const s = textsOf(scope);
    const row = await submissions.getSubmission(this.k.db, id);
    if (!row || row.status === "draft") return { refused: privateReply([{ type: "text", text: s.gone }]) };
    if (row.workspace_id !== scope.workspaceId) return { refused: privateReply([{ type: "text", text: scope.t.wrongPlace }]) };
    if (row.status !== "pending") return { refused: privateReply([{ type: "text", text: s.decided }]) };
    return { row };
  }
}

const reasonLength = 500;

const textsOf = (scope: Scope) => submissionStrings(scope.settings.language);

/** Every problem of a submission, and the button that opens the form again as it was typed. */
function problemsReply(s: SubmissionStrings, problems: string[], again: Button): Reply {
  return privateReply([
    { type: "text", text: s.problems(problems.length) },
    { type: "code", text: problems.join("\n") },
    { type: "buttons", buttons: [again] },
  ]);
}

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** The review channel's message: the question with its answer marked, and the buttons, or who decided it. */
export function reviewMessage(s: SubmissionStrings, row: submissions.SubmissionWithAuthor, decider?: string): OutMessage {
  const text = JSON.parse(row.body) as SubmissionText;
  const right = answerIndex(text.answer);
  const choices = splitChoices(text.choices).map((c, i) => `${answerLetters[i]}. ${c}${i === right ? " ✓" : ""}`);
  const blocks: Block[] = [
    { type: "header", text: s.reviewTitle(row.author) },
    { type: "text", text: text.prompt },
    { type: "text", text: choices.join("\n") },
    { type: "text", text: text.explanation },
    { type: "context", text: s.reviewFooter(text.topic, row.language) },
  ];
  if (row.status === "approved") blocks.push({ type: "context", text: s.approvedBy(decider ?? "?") });
  else if (row.status === "rejected") blocks.push({ type: "context", text: s.rejectedBy(decider ?? "?", row.reason ?? "") });
  else
    blocks.push({
      type: "buttons",
      buttons: [
        { action: "submission-approve", value: row.id, label: s.approve, key: "a", style: "primary" },
        { action: "submission-edit", value: row.id, label: s.edit, key: "u" },
        { action: "submission-reject-form", value: row.id, label: s.reject, key: "x" },
      ],
    });
  return message(blocks);
}
