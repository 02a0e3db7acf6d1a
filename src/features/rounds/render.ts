import type { QuestionView } from "../../core/catalog.ts";
import type { Strings } from "../../core/i18n.ts";
import { formatLocal } from "../../core/local-time.ts";
import { type Block, message, type OutMessage } from "../../core/message.ts";
import { choiceLabel, letters, sourceBlock } from "../../core/question.ts";
import type { RoundRow } from "./rounds.repository.ts";

export interface RoundView {
  id: string;
  kind: "adhoc" | "daily";
  closesAt: Date;
  timezone: string;
  /** Whether the round offers the 50/50 lifeline (the workspace's setting). */
  lifelines: boolean;
}

const stars = (difficulty: number) => "★".repeat(difficulty) + "☆".repeat(3 - difficulty);

export function roundView(round: RoundRow, settings: { timezone: string; lifelines: boolean }): RoundView {
  return {
    id: round.id,
    kind: round.kind,
    closesAt: new Date(round.closes_at),
    timezone: settings.timezone,
    lifelines: settings.lifelines,
  };
}

/** A 50/50 needs a wrong choice to leave beside the answer and at least one to remove. */
export const offersLifeline = (round: RoundView, q: QuestionView) => round.lifelines && q.text.choices.length >= 3;

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
    ...(offersLifeline(round, q)
      ? [{ type: "buttons" as const, buttons: [{ action: "lifeline", value: round.id, label: t.lifelineButton, key: "h" }] }]
      : []),
  ]);
}

/** The two choices a 50/50 leaves, in their order: the answer and the kept wrong one. */
const leftAfter = (q: QuestionView, kept: number) => [q.answer, kept].sort((a, b) => a - b);

/** The two choices a 50/50 left, as text with their letters. */
export const lifelineChoices = (q: QuestionView, kept: number) =>
  leftAfter(q, kept)
    .map((i) => choiceLabel(q, i))
    .join(" / ");

/** The round for one member after their 50/50: the answer and the kept wrong choice, with their original letters. */
export function renderLifeline(t: Strings, roundId: string, q: QuestionView, kept: number): Block[] {
  const left = leftAfter(q, kept);
  return [
    { type: "header", text: t.lifelineTitle },
    { type: "text", text: q.text.prompt },
    { type: "text", text: left.map((i) => choiceLabel(q, i)).join("\n") },
    { type: "context", text: t.lifelineCost },
    {
      type: "buttons",
      buttons: left.map((i) => ({ action: "answer", value: `${roundId}:${i}`, label: letters[i] as string, key: String(i + 1) })),
    },
  ];
}

export function renderResults(
  t: Strings,
  round: RoundView,
  q: QuestionView,
  answers: Array<{ choice: number; correct: number; display_name: string }>,
  lifelinesUsed = 0,
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
    {
      type: "context",
      text: [
        right.length > 0 ? `${t.rightFastestFirst}: ${right.join(", ")}` : t.nobodyRight,
        lifelinesUsed > 0 ? t.lifelinesUsed(lifelinesUsed) : "",
      ]
        .filter(Boolean)
        .join(" "),
    },
    { type: "buttons", buttons: [{ action: "report", value: round.id, label: t.reportButton, key: "p" }] },
  ]);
}
