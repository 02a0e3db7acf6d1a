import type { Language } from "../../core/i18n.ts";
import type { Db } from "../../store/database.ts";
import { formerMemberName } from "../forget/strings.ts";

/** Stores a report; false when the member already reported this round. */
export async function insertReport(
  db: Db,
  report: { id: string; workspaceId: string; questionId: string; memberId: string; roundId: string; note: string | null; now: Date },
): Promise<boolean> {
  const result = await db
    .insertInto("reports")
    .values({
      id: report.id,
      workspace_id: report.workspaceId,
      question_id: report.questionId,
      member_id: report.memberId,
      round_id: report.roundId,
      note: report.note,
      created_at: report.now.toISOString(),
      resolved_at: null,
    })
    .onConflict((oc) => oc.columns(["round_id", "member_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A workspace's open reports, grouped by question, most reported first; a forgotten member's are by "a former member". */
export async function openReports(db: Db, workspaceId: string, language: Language) {
  const rows = await db
    .selectFrom("reports")
    .leftJoin("members", "members.id", "reports.member_id")
    .select(["reports.question_id", "reports.note", "members.display_name", "reports.created_at"])
    .where("reports.workspace_id", "=", workspaceId)
    .where("reports.resolved_at", "is", null)
    .orderBy("reports.created_at")
    .execute();
  const byQuestion = new Map<string, Array<{ note: string | null; by: string }>>();
  for (const row of rows)
    byQuestion.set(row.question_id, [
      ...(byQuestion.get(row.question_id) ?? []),
      { note: row.note, by: row.display_name ?? formerMemberName(language) },
    ]);
  return [...byQuestion.entries()]
    .map(([questionId, reports]) => ({ questionId, reports }))
    .sort((a, b) => b.reports.length - a.reports.length);
}

/** Question ids with open reports in a workspace: the picker shows them less. */
export async function reportedQuestions(db: Db, workspaceId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("reports")
    .select("question_id")
    .distinct()
    .where("workspace_id", "=", workspaceId)
    .where("resolved_at", "is", null)
    .execute();
  return new Set(rows.map((r) => r.question_id));
}

/** Closes every open report on a question; returns how many. */
export async function resolveReports(db: Db, workspaceId: string, questionId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable("reports")
    .set({ resolved_at: now.toISOString() })
    .where("workspace_id", "=", workspaceId)
    .where("question_id", "=", questionId)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
