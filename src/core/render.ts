import type { Language, Strings } from "./i18n.ts";
import { formatLocal } from "./local-time.ts";
import { type Block, type Link, message, type OutMessage } from "./message.ts";

export const letters = ["A", "B", "C", "D", "E", "F"];

export interface QuestionText {
  prompt: string;
  choices: string[];
  explanation: string;
}

export interface QuestionView {
  id: string;
  difficulty: number;
  answer: number;
  text: QuestionText;
  topicName: string;
  source: { label: string; url?: string };
}

export interface RoundView {
  id: string;
  kind: "adhoc" | "daily";
  closesAt: Date;
  timezone: string;
}

const stars = (difficulty: number) => "★".repeat(difficulty) + "☆".repeat(3 - difficulty);

export const choiceLabel = (q: QuestionView, index: number) => `${letters[index]}. ${q.text.choices[index] ?? ""}`;

/** Adds the question's source as a link when it has a URL, as text otherwise. */
function sourceBlock(t: Strings, q: QuestionView): Block {
  return q.source.url
    ? { type: "links", links: [{ label: `${t.source}: ${q.source.label}`, url: q.source.url }] }
    : { type: "context", text: `${t.source}: ${q.source.label}` };
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
  ]);
}

export function renderFeedback(t: Strings, q: QuestionView, choice: number, points: number): Block[] {
  const verdict = choice === q.answer ? t.correct(points) : t.wrong(choiceLabel(q, q.answer));
  return [{ type: "text", text: verdict }, { type: "text", text: q.text.explanation }, sourceBlock(t, q)];
}

export interface ArticleView {
  digestId: string;
  localDate: string;
  today: boolean;
  zhTitle: string;
  enTitle: string;
  published: string;
  url: string;
  zhUrl: string;
  topicNames: string[];
}

export function renderDigest(t: Strings, language: Language, a: ArticleView): OutMessage {
  const [main, other] = language === "zh" ? [a.zhTitle, a.enTitle] : [a.enTitle, a.zhTitle];
  const links: Link[] = [
    { label: t.original, url: a.url },
    { label: t.translation, url: a.zhUrl },
  ];
  return message([
    { type: "header", text: a.today ? t.articleOfDay : t.articleOfDate(a.localDate) },
    { type: "text", text: `${main}\n${other}` },
    {
      type: "fields",
      fields: [
        { label: t.published, value: a.published.slice(0, 4) },
        { label: t.topics, value: a.topicNames.join(", ") },
      ],
    },
    { type: "links", links },
    { type: "buttons", buttons: [{ action: "read", value: a.digestId, label: t.markRead, key: "r", style: "primary" }] },
  ]);
}
