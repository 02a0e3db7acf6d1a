import { answerLetters } from "../../content/schema.ts";
import type { FormField } from "../../core/message.ts";
import { packLimits, sentLength } from "../packs/pack-file.ts";
import type { SubmissionStrings } from "./strings.ts";

/** A submitted question as the member typed it (choices one per line), before or after it passes the check. */
export interface SubmissionText {
  prompt: string;
  choices: string;
  answer: string;
  explanation: string;
  topic: string;
}

/** A submission that passed the check: what a team pack question is made from. */
export interface SubmittedQuestion {
  prompt: string;
  choices: string[];
  /** Index into choices. */
  answer: number;
  explanation: string;
  topic: string;
}

export const submissionLimits = {
  minChoices: 2,
  maxChoices: 4,
  /** Room kept in the explanation for the credit line ("Submitted by …") that approval adds. */
  creditRoom: 120,
} as const;

const explanationLimit = packLimits.explanation - submissionLimits.creditRoom;
const fieldIds = ["prompt", "choices", "answer", "explanation", "topic"] as const;

/** The form's fields (five: Discord's limit), filled in from `initial` for an edit or a fix. */
export function submissionFields(s: SubmissionStrings, initial?: SubmissionText): FormField[] {
  const maxLengths = {
    prompt: packLimits.prompt,
    choices: submissionLimits.maxChoices * (packLimits.choice + 1),
    answer: 10,
    explanation: explanationLimit,
    topic: packLimits.topic,
  };
  return fieldIds.map((id) => ({
    id,
    label: s.field[id],
    multiline: id === "prompt" || id === "choices" || id === "explanation",
    maxLength: maxLengths[id],
    ...(initial ? { initial: initial[id] } : {}),
  }));
}

/** The texts of a submitted form, by field (a missing field is empty). */
export function submissionText(inputs: Record<string, string>): SubmissionText {
  const text = (id: (typeof fieldIds)[number]) => (inputs[id] ?? "").trim();
  return {
    prompt: text("prompt"),
    choices: text("choices"),
    answer: text("answer"),
    explanation: text("explanation"),
    topic: text("topic"),
  };
}

/** Choices one per line; on one line, separated by | (the console reads one line per field). */
export function splitChoices(text: string): string[] {
  const parts = text.includes("\n") ? text.split("\n") : text.split("|");
  return parts.map((c) => c.trim()).filter(Boolean);
}

/**
 * Checks a submission against what a team pack allows (the same limits, counted as Slack receives the text), and
 * returns the question, or every problem at once in the member's language.
 */
export function checkSubmission(s: SubmissionStrings, text: SubmissionText): { question?: SubmittedQuestion; problems: string[] } {
  const problems: string[] = [];
  const over = (field: keyof SubmissionText, value: string, max: number) => {
    if (sentLength(value) > max) problems.push(s.tooLong(s.field[field], sentLength(value), max));
  };
  for (const field of fieldIds) if (text[field] === "") problems.push(s.empty(s.field[field]));
  over("prompt", text.prompt, packLimits.prompt);
  over("explanation", text.explanation, explanationLimit);
  over("topic", text.topic, packLimits.topic);
  if (text.topic.includes(".")) problems.push(s.topicDots);
  const choices = splitChoices(text.choices);
  if (text.choices !== "" && (choices.length < submissionLimits.minChoices || choices.length > submissionLimits.maxChoices)) {
    problems.push(s.choiceCount(choices.length, submissionLimits.minChoices, submissionLimits.maxChoices));
  }
  for (const choice of choices)
    if (sentLength(choice) > packLimits.choice) problems.push(s.choiceTooLong(choice.slice(0, 30), packLimits.choice));
  if (new Set(choices.map((c) => c.toLowerCase())).size < choices.length) problems.push(s.choicesRepeat);
  const answer = answerIndex(text.answer);
  if (text.answer !== "" && (answer === undefined || answer >= Math.max(choices.length, 1))) {
    problems.push(s.badAnswer(text.answer.slice(0, 10), answerLetters.slice(0, Math.max(choices.length, 2)).join(", ")));
  }
  const total = sentLength(text.prompt) + choices.reduce((sum, c) => sum + sentLength(c), 0) + sentLength(text.explanation);
  if (total > packLimits.questionText - submissionLimits.creditRoom) {
    problems.push(s.totalTooLong(total, packLimits.questionText - submissionLimits.creditRoom));
  }
  if (problems.length > 0 || answer === undefined) return { problems };
  return { question: { prompt: text.prompt, choices, answer, explanation: text.explanation, topic: text.topic }, problems };
}

/** A / b / "C." / 3: the index of the right choice, or undefined. */
export function answerIndex(typed: string): number | undefined {
  const word = typed.trim().replace(/[.)]$/, "").toUpperCase();
  const letter = answerLetters.indexOf(word as (typeof answerLetters)[number]);
  if (letter >= 0) return letter;
  return /^[1-6]$/.test(word) ? Number(word) - 1 : undefined;
}
