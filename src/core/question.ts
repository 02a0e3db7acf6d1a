import type { QuestionView } from "./catalog.ts";
import type { Strings } from "./i18n.ts";
import type { Block } from "./message.ts";

export const letters = ["A", "B", "C", "D", "E", "F"];

export const choiceLabel = (q: QuestionView, index: number) => `${letters[index]}. ${q.text.choices[index] ?? ""}`;

/** Adds the question's source as a link when it has a URL, as text otherwise. */
export function sourceBlock(t: Strings, q: QuestionView): Block {
  return q.source.url
    ? { type: "links", links: [{ label: `${t.source}: ${q.source.label}`, url: q.source.url }] }
    : { type: "context", text: `${t.source}: ${q.source.label}` };
}

export function renderFeedback(t: Strings, q: QuestionView, choice: number, points: number): Block[] {
  const verdict = choice === q.answer ? t.correct(points) : t.wrong(choiceLabel(q, q.answer));
  return [{ type: "text", text: verdict }, { type: "text", text: q.text.explanation }, sourceBlock(t, q)];
}
