import type { QuestionView } from "../../core/catalog.ts";
import type { Strings } from "../../core/i18n.ts";
import { formatLocal } from "../../core/local-time.ts";
import { message, type OutMessage } from "../../core/message.ts";
import { choiceLabel, letters, sourceBlock } from "../../core/question.ts";
import type { RoundRow } from "./rounds.repository.ts";

export interface RoundView {
  id: string;
  kind: "adhoc" | "daily";
  closesAt: Date;
  timezone: string;
}

const stars = (difficulty: number) => "★".repeat(difficulty) + "☆".repeat(3 - difficulty);

export function roundView(round: RoundRow, timezone: string): RoundView {
  return { id: round.id, kind: round.kind, closesAt: new Date(round.closes_at), timezone };
}

export function renderRound(t: Strings, round: RoundView, q: QuestionView, answerCount: number): OutMessage {
  return message([
    { type: "header", text: round.kind === "daily" ? t.questionOfDay : t.quizTitle },
    { type: "text", text: q.text.prompt },
    { type: "text", text: q.text.choices.map((_, i) => choiceLabel(q, i)).join("\n") },
    {
      type: "context",
      text: `${q.topicName} · ${t.difficulty} ${stars(q.difficulty)} · ${t.closes} ${formatLocal(round.closesAt, round.timezone)} (${round.timezone}) · ${t.answered(answerCount)}`,
    },
    {
      type: "buttons",
      buttons: q.text.choices.map((_, i) => ({
        action: "answer",
        value: `${round.id}:${i}`,
        label: letters[i] as string,
        key: String(i + 1),
      })),
    },
  ]);
}

export function renderResults(
  t: Strings,
  round: RoundView,
  q: QuestionView,
  answers: Array<{ choice: number; correct: number; display_name: string }>,
): OutMessage {
  const picks = q.text.choices.map((_, i) => answers.filter((a) => a.choice === i).length);
  const right = answers.filter((a) => a.correct === 1).map((a) => a.display_name);
  return message([
    { type: "header", text: `${round.kind === "daily" ? t.questionOfDay : t.quizTitle} · ${t.results}` },
    { type: "text", text: q.text.prompt },
    {
      type: "text",
      text: q.text.choices.map((_, i) => `${i === q.answer ? "✅" : "▫️"} ${choiceLabel(q, i)} (${picks[i]})`).join("\n"),
    },
    { type: "text", text: `${t.answerWas(choiceLabel(q, q.answer))}\n${q.text.explanation}` },
    sourceBlock(t, q),
    { type: "context", text: right.length > 0 ? `${t.rightFastestFirst}: ${right.join(", ")}` : t.nobodyRight },
    { type: "buttons", buttons: [{ action: "report", value: round.id, label: t.reportButton, key: "p" }] },
  ]);
}
