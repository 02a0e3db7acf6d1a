import { stringify } from "yaml";
import { contentHash } from "../../content/import.ts";
import type { Language } from "../../core/i18n.ts";
import type { Db } from "../../store/database.ts";
import { readPackFile } from "../packs/pack-file.ts";
import type { TeamQuestionBody } from "../packs/packs.repository.ts";
import { submissionStrings } from "../submissions/strings.ts";
import { formerMemberName } from "./strings.ts";

/** The tables of rows keyed on a member, which forgetting them deletes. */
const memberTables = ["answers", "reads", "lifelines", "activity", "cards", "scores", "member_groups", "submissions"] as const;

type MemberTable = (typeof memberTables)[number];

/** How many rows of each member table are the member's, and how many of their reports stay without their name. */
export async function memberRowCounts(db: Db, memberId: string): Promise<Record<MemberTable | "reports", number>> {
  const counts: Partial<Record<MemberTable | "reports", number>> = {};
  for (const table of [...memberTables, "reports"] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("member_id", "=", memberId)
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts as Record<MemberTable | "reports", number>;
}

/**
 * Deletes a member (platform:workspace:user) in one transaction: every row keyed on them and their member row with
 * their name. Their reports stay with no member; rounds, seasons and reviewed submissions stop naming them; a question
 * of theirs that was approved into the team's pack stays, credited to "a former member". Returns the rows deleted or
 * changed per table, or undefined when there is no such member.
 */
export async function forgetMember(db: Db, memberId: string): Promise<Record<string, number> | undefined> {
  return db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom("members").select("workspace_id").where("id", "=", memberId).executeTakeFirst();
    if (!member) return undefined;
    // Their approved questions first: which they are is read from their submissions, deleted below.
    const changed: Record<string, number> = { questions: await uncreditApprovedQuestions(trx, member.workspace_id, memberId) };
    const count = (table: string, result: { numDeletedRows: bigint } | { numUpdatedRows: bigint }) => {
      changed[table] = (changed[table] ?? 0) + Number("numDeletedRows" in result ? result.numDeletedRows : result.numUpdatedRows);
    };
    for (const table of memberTables) {
      count(table, await trx.deleteFrom(table).where("member_id", "=", memberId).executeTakeFirst());
    }
    count(
      "submissions",
      await trx.updateTable("submissions").set({ decided_by: null }).where("decided_by", "=", memberId).executeTakeFirst(),
    );
    count("reports", await trx.updateTable("reports").set({ member_id: null }).where("member_id", "=", memberId).executeTakeFirst());
    count(
      "rounds",
      await trx
        .updateTable("rounds")
        .set({ first_correct_member_id: null })
        .where("first_correct_member_id", "=", memberId)
        .executeTakeFirst(),
    );
    count(
      "seasons",
      await trx.updateTable("seasons").set({ champion_member_id: null }).where("champion_member_id", "=", memberId).executeTakeFirst(),
    );
    count("members", await trx.deleteFrom("members").where("id", "=", memberId).executeTakeFirst());
    // A click from a Slack home comes from the member's direct messages, whose channel is the user id: their id too.
    count("channels", await trx.deleteFrom("channels").where("id", "=", memberId).executeTakeFirst());
    return changed;
  });
}

/**
 * The member's questions approved into the team-submissions pack keep their place, but their credit line (the last
 * paragraph of the explanation) names "a former member", in the stored question and in the pack's file. Returns how
 * many questions changed.
 */
async function uncreditApprovedQuestions(trx: Db, workspaceId: string, memberId: string): Promise<number> {
  const approved = await trx
    .selectFrom("submissions")
    .select("question_id")
    .where("member_id", "=", memberId)
    .where("question_id", "is not", null)
    .execute();
  const ids = approved.flatMap((s) => (s.question_id ? [s.question_id] : []));
  if (ids.length === 0) return 0;
  const questions = await trx
    .selectFrom("questions")
    .select(["id", "pack_id", "topic_id", "difficulty", "answer", "body", "source_kind", "source_ref"])
    .where("id", "in", ids)
    .execute();
  const packIds = new Set<string>();
  for (const question of questions) {
    const body = JSON.parse(question.body) as TeamQuestionBody;
    for (const language of ["en", "zh"] as const) {
      const text = body[language];
      if (text) text.explanation = uncredited(text.explanation, language);
    }
    // The hash covers what a pack import compares, in the order packs.repository.ts stores it.
    const { topic_id, difficulty, answer, source_kind, source_ref } = question;
    const values = { topic_id, difficulty, answer, body: JSON.stringify(body), source_kind, source_ref };
    await trx
      .updateTable("questions")
      .set({ body: values.body, content_hash: contentHash(values) })
      .where("id", "=", question.id)
      .execute();
    if (question.pack_id) packIds.add(question.pack_id);
  }
  for (const packId of packIds) {
    const stored = await trx
      .selectFrom("packs")
      .select("file")
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", packId)
      .executeTakeFirst();
    const pack = stored && readPackFile(Buffer.from(stored.file)).pack;
    if (!pack) continue;
    const ours = new Set(ids.map((id) => id.slice(`${workspaceId}/${packId}/`.length)));
    for (const question of pack.questions) {
      if (!ours.has(question.id)) continue;
      for (const language of ["en", "zh"] as const) {
        const text = question[language];
        if (text) text.explanation = uncredited(text.explanation, language);
      }
    }
    const { id, ...header } = pack;
    await trx
      .updateTable("packs")
      .set({ file: stringify({ pack: id, ...header }) })
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", packId)
      .execute();
  }
  return questions.length;
}

/** An explanation whose last paragraph, the credit line an approval added, names a former member instead. */
function uncredited(explanation: string, language: Language): string {
  const credit = submissionStrings(language).submittedBy;
  const paragraphs = explanation.split("\n\n");
  const last = paragraphs.length - 1;
  if (last > 0 && paragraphs[last]?.startsWith(credit(""))) paragraphs[last] = credit(formerMemberName(language));
  return paragraphs.join("\n\n");
}

/** True when `error` is a foreign key violation and the member it names is not stored: another process forgot them. */
export async function memberWasForgotten(db: Db, error: unknown, memberId: string): Promise<boolean> {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code !== "SQLITE_CONSTRAINT_FOREIGNKEY" && code !== "23503") return false;
  return !(await db.selectFrom("members").select("id").where("id", "=", memberId).executeTakeFirst());
}
