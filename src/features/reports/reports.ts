import { randomUUID } from "node:crypto";
import { privateReply, type Reply } from "../../core/message.ts";
import type { Scope } from "../../core/scope.ts";
import type { Kernel } from "../kernel.ts";
import * as rounds from "../rounds/rounds.repository.ts";
import type { Rounds } from "../rounds/rounds.ts";
import * as reports from "./reports.repository.ts";

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
      form: { title: t.reportTitle, label: t.reportLabel, action: "report-submit", value: roundId },
    };
  }

  async save(scope: Scope, roundId: string, note: string | undefined): Promise<Reply> {
    const { t } = scope;
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
      note: note?.trim().slice(0, 1000) || null,
      now: this.k.clock.now(),
    });
    // A reported question comes up less: the picker's statistics change now, not when they expire.
    this.rounds.picker.forgetStats(scope.workspaceId);
    return privateReply([{ type: "text", text: saved ? t.reportThanks : t.reportAlready }]);
  }

  async list(scope: Scope): Promise<Reply> {
    const { t } = scope;
    const open = await reports.openReports(this.k.db, scope.workspaceId);
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
    const n = await reports.resolveReports(this.k.db, scope.workspaceId, questionId, this.k.clock.now());
    this.rounds.picker.forgetStats(scope.workspaceId);
    return privateReply([{ type: "text", text: n > 0 ? t.resolved(questionId, n) : t.nothingToResolve(questionId) }]);
  }
}
