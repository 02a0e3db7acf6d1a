import { randomUUID } from "node:crypto";
import { message, privateReply, type Reply } from "../../core/message.ts";
import type { Scope } from "../../core/scope.ts";
import type { Kernel } from "../kernel.ts";
import * as rounds from "../rounds/rounds.repository.ts";
import type { Rounds } from "../rounds/rounds.ts";
import * as reports from "./reports.repository.ts";

const noteLength = 1000;

/** Members report a closed round's question; admins list the reports and resolve them once the question is fixed. */
export class Reports {
  constructor(
    private readonly k: Kernel,
    private readonly rounds: Rounds,
  ) {}

  /** The form a member fills in to report a closed round's question. */
  async form(scope: Scope, roundId: string): Promise<Reply> {
    const { t } = scope;
    const round = await rounds.getRound(this.k.db, roundId);
    if (!round) return privateReply([{ type: "text", text: t.roundGone }]);
    if (round.workspace_id !== scope.workspaceId) return privateReply([{ type: "text", text: t.wrongPlace }]);
    return {
      ...privateReply([{ type: "text", text: t.reportPrompt }]),
      form: {
        title: t.reportTitle,
        action: "report-submit",
        value: roundId,
        fields: [{ id: "note", label: t.reportLabel, multiline: true, optional: true, maxLength: noteLength }],
      },
    };
  }

  async save(scope: Scope, roundId: string, typed: string | undefined): Promise<Reply> {
    const { t } = scope;
    const note = typed?.trim().slice(0, noteLength) || null;
    const round = await rounds.getRound(this.k.db, roundId);
    if (!round) return privateReply([{ type: "text", text: t.roundGone }]);
    if (round.workspace_id !== scope.workspaceId) return privateReply([{ type: "text", text: t.wrongPlace }]);
    await this.k.scopes.ensureMember(scope);
    const saved = await reports.insertReport(this.k.db, {
      id: randomUUID(),
      workspaceId: scope.workspaceId,
      questionId: round.question_id,
      memberId: scope.memberId,
      roundId,
      note,
      now: this.k.clock.now(),
    });
    // A reported question comes up less: the picker's statistics change now, not when they expire.
    this.rounds.picker.forgetStats(scope.workspaceId);
    if (saved) await this.toReviewers(scope, round.question_id, note);
    return privateReply([{ type: "text", text: saved ? t.reportThanks : t.reportAlready }]);
  }

  /** A report on one of the workspace's own questions also goes to its review channel, where its authors' work is reviewed. */
  private async toReviewers(scope: Scope, questionId: string, note: string | null): Promise<void> {
    const channel = scope.settings.reviewChannel;
    if (!channel || !questionId.startsWith(`${scope.workspaceId}/`)) return;
    const { t } = scope;
    await this.k.delivery
      .post(
        { ...scope.address, channelId: channel },
        message([
          { type: "header", text: t.teamReportTitle },
          { type: "text", text: t.teamReport(scope.displayName, questionId.slice(scope.workspaceId.length + 1), note) },
          { type: "context", text: t.teamReportHint(questionId) },
        ]),
      )
      .catch((error) => this.k.log.warn({ err: error, questionId }, "review channel refused a report"));
  }

  async list(scope: Scope): Promise<Reply> {
    const { t } = scope;
    const open = await reports.openReports(this.k.db, scope.workspaceId, scope.settings.language);
    if (open.length === 0) return privateReply([{ type: "text", text: t.noReports }]);
    const lines = open.map(
      (q) => `${q.questionId} (${q.reports.length}): ${q.reports.map((r) => (r.note ? `${r.by}: ${r.note}` : r.by)).join("; ")}`,
    );
    return privateReply([
      { type: "header", text: t.reportsTitle },
      { type: "text", text: lines.join("\n") },
      { type: "context", text: t.reportsHint },
    ]);
  }

  async resolve(scope: Scope, questionId: string): Promise<Reply> {
    const { t } = scope;
    const n = await this.resolveQuestion(scope.workspaceId, questionId);
    return privateReply([{ type: "text", text: n > 0 ? t.resolved(questionId, n) : t.nothingToResolve(questionId) }]);
  }

  /** Closes every open report on a question (from /study reports resolve and the dashboard); returns how many. */
  async resolveQuestion(workspaceId: string, questionId: string): Promise<number> {
    const n = await reports.resolveReports(this.k.db, workspaceId, questionId, this.k.clock.now());
    // The picker shows reported questions less: its statistics must see the report closed.
    this.rounds.picker.forgetStats(workspaceId);
    return n;
  }
}
