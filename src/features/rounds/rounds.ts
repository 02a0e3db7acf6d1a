import { randomUUID } from "node:crypto";
import { channel } from "node:diagnostics_channel";
import { BoundedMap, BoundedSet } from "../../core/cache.ts";
import { UsageError } from "../../core/commands.ts";
import { strings } from "../../core/i18n.ts";
import * as time from "../../core/local-time.ts";
import { message, privateReply, type Reply } from "../../core/message.ts";
import { type ChannelAddress, PermanentDeliveryError } from "../../core/ports.ts";
import { choiceLabel, renderFeedback } from "../../core/question.ts";
import { addressOf, memberRow, type Scope, type Settings } from "../../core/scope.ts";
import { isWithin, matchTopic } from "../../core/topic-tree.ts";
import type { Db } from "../../store/database.ts";
import * as progress from "../../store/progress.repository.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import type { Kernel } from "../kernel.ts";
import { publicName } from "../privacy/public-names.ts";
import type { Review } from "../review/review.ts";
import { scoreEvent } from "../standings/score-event.ts";
import { QuestionPicker } from "./picker.ts";
import { lifelineChoices, renderLifeline, renderResults, renderRound, roundView } from "./render.ts";
import * as rounds from "./rounds.repository.ts";

export const points = { perDifficulty: 10, firstCorrectBonus: 5, read: 2 } as const;
const countEditIntervalMs = 2000;
/** A results edit that keeps failing is retried after 1, 2, 4 ... minutes and given up after this many tries. */
export const maxResultsAttempts = 6;
const openRoundsCacheSize = 100_000;
const activeDaysCacheSize = 100_000;

/** Crash points the crash tests subscribe to (tests/helpers/crash-points.mjs); publishing to no subscriber costs nothing. */
export const beforeResultsEdit = channel("study-bot:before-results-edit");

type RoundScope = Pick<Scope, "workspaceId" | "channelId" | "address" | "settings">;

/** Quiz rounds: opening one, answers and their points, the public answer count, and closing with results. */
export class Rounds {
  private readonly roundOpenedListeners: Array<(roundId: string, closesAt: Date) => void> = [];
  private readonly countEdits = new Map<string, { last: number; timer?: NodeJS.Timeout; running?: Promise<void> }>();
  /** Each round's question. */
  readonly picker: QuestionPicker;
  /** Open rounds by id; a round leaves when it closes (checked on every click) or its post failed. */
  private readonly openRounds = new BoundedMap<string, rounds.RoundRow>(openRoundsCacheSize);
  /** Member and local day pairs whose activity this process has committed: a member's later answers that day skip the write. */
  private readonly activeDays = new BoundedSet<string>(activeDaysCacheSize);

  constructor(
    private readonly k: Kernel,
    private readonly review: Review,
  ) {
    this.picker = new QuestionPicker(k);
  }

  /** The member was forgotten: their study days are no longer known as committed. */
  forgetMember(memberId: string): void {
    this.activeDays.deleteWhere((key) => key.startsWith(`${memberId}|`));
  }

  /** Called with every new round, so the scheduler can close it on time. */
  onRoundOpened(listener: (roundId: string, closesAt: Date) => void): void {
    this.roundOpenedListeners.push(listener);
  }

  /** Stops pending answer-count edits. */
  stop(): void {
    for (const edit of this.countEdits.values()) clearTimeout(edit.timer);
    this.countEdits.clear();
  }

  /** /study quiz [topic]: opens an ad hoc round here. */
  async quiz(scope: Scope, topicArgument: string | undefined, usage: string): Promise<Reply> {
    const { t } = scope;
    let topicIds: string[] | undefined;
    if (topicArgument !== undefined) {
      const topics = await this.k.catalog.topicsFor(scope.workspaceId, scope.settings.questionSource);
      const match = matchTopic(topics, topicArgument);
      if (match.kind === "none") throw new UsageError(t.unknownTopic(topicArgument), usage);
      if (match.kind === "many") {
        const options = match.topics
          .slice(0, 6)
          .map((topic) => `${topic.id} (${this.k.catalog.topicName(topic, scope.settings.language)})`);
        throw new UsageError(t.ambiguousTopic(topicArgument, options.join(", ")), usage);
      }
      topicIds = topics.filter((topic) => isWithin(topic.id, match.topic.id)).map((topic) => topic.id);
    }
    if (await rounds.openAdhocRound(this.k.db, scope.channelId)) return privateReply([{ type: "text", text: t.roundOpenAlready }]);
    const questionId = await this.picker.pick(scope, topicIds, undefined);
    if (!questionId) return privateReply([{ type: "text", text: t.noQuestions }]);
    const closesAt = new Date(this.k.clock.now().getTime() + scope.settings.quizSeconds * 1000);
    const opened = await this.open(scope, questionId, "adhoc", closesAt);
    return privateReply([{ type: "text", text: opened ? t.quizPosted : t.roundOpenAlready }]);
  }

  /**
   * Inserts and posts a round; returns its id, or undefined when the channel already has an open ad hoc round.
   * `alongside` writes in the insert's transaction, told the round's id when it was inserted; like all group-commit
   * work it may run again if the shared transaction fails, so it writes rows and nothing else.
   */
  async open(
    scope: RoundScope,
    questionId: string,
    kind: "adhoc" | "daily",
    closesAt: Date,
    alongside?: (trx: Db, roundId: string | undefined) => Promise<void>,
  ): Promise<string | undefined> {
    const id = randomUUID();
    const now = this.k.clock.now();
    const inserted = await this.k.writes.run(async (trx) => {
      const done = await rounds.insertRound(trx, {
        id,
        workspace_id: scope.workspaceId,
        channel_id: scope.channelId,
        thread_id: scope.address.threadId ?? null,
        question_id: questionId,
        kind,
        status: "open",
        opened_at: now.toISOString(),
        closes_at: closesAt.toISOString(),
      });
      await alongside?.(trx, done ? id : undefined);
      return done;
    });
    if (!inserted) return undefined;
    const question = await this.k.catalog.questionView(questionId, scope.settings.language);
    try {
      const view = { id, kind, closesAt, timezone: scope.settings.timezone, lifelines: scope.settings.lifelines };
      const message = renderRound(strings(scope.settings.language), view, question, 0);
      const ref = await this.k.delivery.post(scope.address, message);
      await this.k.writes.run((trx) => rounds.setRoundMessage(trx, id, ref));
    } catch (error) {
      // A round nobody can see must not block the channel's next quiz.
      await rounds.markRoundClosed(this.k.db, id, now);
      throw error;
    }
    for (const listener of this.roundOpenedListeners) listener(id, closesAt);
    return id;
  }

  /**
   * Closes every open round whose time is up, and finishes results edits left undone. Each round on its own:
   * one channel's failure (archived, deleted) is logged and retried later, and never holds up another's.
   */
  async closeDueRounds(): Promise<void> {
    const now = this.k.clock.now();
    const due = (await rounds.openRounds(this.k.db)).filter((round) => round.closes_at <= now.toISOString());
    const unfinished = await rounds.roundsAwaitingResults(this.k.db, now);
    for (const round of [...due, ...unfinished]) {
      try {
        await this.close(round.id);
      } catch (error) {
        this.k.log.error({ err: error, roundId: round.id, channelId: round.channel_id }, "closing a round failed");
      }
    }
  }

  /** Closes a round once and edits the results into its message once (again only after a crash or a failure left it undone). */
  async close(roundId: string): Promise<void> {
    const now = this.k.clock.now();
    this.openRounds.delete(roundId);
    await rounds.markRoundClosed(this.k.db, roundId, now);
    const edit = this.countEdits.get(roundId);
    clearTimeout(edit?.timer);
    this.countEdits.delete(roundId);
    // A count edit already sent must land before the results, or it would put the open round back on screen.
    await edit?.running?.catch(() => {});
    const round = await rounds.getRound(this.k.db, roundId);
    if (!round?.message_ref) return;
    const staleBefore = new Date(now.getTime() - this.k.staleClaimMs);
    if (!(await rounds.claimResultsEdit(this.k.db, roundId, now, staleBefore))) return;
    if (beforeResultsEdit.hasSubscribers) beforeResultsEdit.publish({ roundId });
    try {
      const settings = await this.k.scopes.settingsOf(round.workspace_id);
      const question = await this.k.catalog.questionView(round.question_id, settings.language);
      // Results are public: a member who chose /study privacy hide is "a member" in them.
      const answers = (await progress.roundAnswers(this.k.db, roundId)).map((a) => ({
        ...a,
        display_name: publicName(a, settings.language),
      }));
      const lifelines = await rounds.countLifelines(this.k.db, roundId);
      const results = renderResults(strings(settings.language), roundView(round, settings), question, answers, lifelines);
      await this.k.delivery.update(roundAddress(round), round.message_ref, results);
      await rounds.confirmResultsEdit(this.k.db, roundId, this.k.clock.now());
      // Those who talked in the daily thread see the results there too: a short reply, after the edit is recorded, so
      // that a crash can lose it but never post it twice.
      if (round.thread_id) {
        const t = strings(settings.language);
        const right = answers.filter((a) => a.correct === 1).length;
        const reply = message([{ type: "text", text: t.threadResults(choiceLabel(question, question.answer), answers.length, right) }]);
        await this.k.delivery.post(roundAddress(round), reply).catch((error) => {
          this.k.log.warn({ err: error, roundId }, "results reply in the thread not posted");
        });
      }
    } catch (error) {
      await this.resultsEditFailed(round, error);
      throw error;
    }
  }

  /** A refusal for good gives the edit up; anything else is retried later, until it has failed maxResultsAttempts times. */
  private async resultsEditFailed(round: rounds.RoundRow, error: unknown): Promise<void> {
    const now = this.k.clock.now();
    const attempts = round.results_attempts + 1;
    const reason = (error as Error).message;
    const giveUp = error instanceof PermanentDeliveryError || attempts >= maxResultsAttempts;
    const retryAt = new Date(now.getTime() + 60_000 * 2 ** (attempts - 1));
    await rounds.releaseResultsEdit(this.k.db, round.id, { attempts, reason, giveUp, retryAt });
  }

  /**
   * The open round a click on one of its buttons is about, with its question; or the reply that refuses the click (the
   * round gone, in another channel, or closed: a round past its time is closed now).
   */
  private async clickedRound(scope: Scope, roundId: string) {
    const { t, settings } = scope;
    const round = this.openRounds.get(roundId) ?? (await rounds.getRound(this.k.db, roundId));
    if (!round) return privateReply([{ type: "text", text: t.roundGone }]);
    if (round.status === "open") this.openRounds.set(roundId, round);
    // On Discord a thread is a channel of its own: a click in the round's thread is a click in the round's channel.
    const inThread = round.thread_id !== null && scope.address.channelId === round.thread_id;
    if (round.workspace_id !== scope.workspaceId || (round.channel_id !== scope.channelId && !inThread)) {
      this.k.log.warn(
        { roundId, workspace: scope.workspaceId, channel: scope.channelId },
        "click from outside the round's channel refused",
      );
      return privateReply([{ type: "text", text: t.wrongPlace }]);
    }
    const question = await this.k.catalog.questionView(round.question_id, settings.language);
    const now = this.k.clock.now();
    if (round.status === "closed" || round.closes_at <= now.toISOString()) {
      if (round.status === "open") this.k.delivery.inBackground(() => this.close(round.id));
      return privateReply([{ type: "text", text: t.roundClosed(choiceLabel(question, question.answer)) }]);
    }
    return { round, question, now };
  }

  async answer(scope: Scope, value: string): Promise<Reply> {
    const { t, settings } = scope;
    const { scopes, writes } = this.k;
    const [roundId = "", choiceText = ""] = value.split(":");
    const clicked = await this.clickedRound(scope, roundId);
    if ("visibility" in clicked) return clicked;
    const { round, question, now } = clicked;
    const choice = Number(choiceText);
    if (!Number.isInteger(choice) || choice < 0 || choice >= question.text.choices.length) {
      return privateReply([{ type: "text", text: t.roundGone }]);
    }
    const correct = choice === question.answer;
    const localDate = time.localDateOf(now, settings.timezone);
    const day = `${scope.memberId}|${localDate}`;
    // A member new to this process is stored in the answer's own transaction rather than in a commit of its own.
    const storeMember = !scopes.isMemberStored(scope);
    const recordDay = !this.activeDays.has(day);
    // Group-commit work: rows only, so running it again after a failed shared transaction changes nothing twice.
    const outcome = await writes.run(async (trx) => {
      if (storeMember && firstInTransaction(trx, `member|${scope.memberId}`)) await workspaces.ensureMember(trx, memberRow(scope), now);
      // A right answer after the member's 50/50 earns half, and leaves the first-correct bonus to someone else.
      const helped = (await rounds.lifelineOf(trx, round.id, scope.memberId)) !== undefined;
      const base = correct ? (points.perDifficulty * question.difficulty) / (helped ? 2 : 1) : 0;
      const inserted = await progress.insertAnswer(trx, {
        round_id: round.id,
        member_id: scope.memberId,
        workspace_id: scope.workspaceId,
        choice,
        correct: correct ? 1 : 0,
        points: base,
        answered_at: now.toISOString(),
        local_date: localDate,
      });
      if (!inserted) return { inserted, points: 0, earlier: await progress.getAnswer(trx, round.id, scope.memberId) };
      let total = base;
      if (correct && !helped && (await rounds.claimFirstCorrect(trx, round.id, scope.memberId))) {
        await progress.addAnswerPoints(trx, round.id, scope.memberId, points.firstCorrectBonus);
        total += points.firstCorrectBonus;
      }
      if (recordDay && firstInTransaction(trx, day)) await progress.recordActivity(trx, scope.workspaceId, scope.memberId, localDate);
      await progress.addScore(trx, scoreEvent(scope, now, localDate, total, 1, correct ? 1 : 0));
      await this.review.save(trx, scope, round.question_id, correct ? "good" : "again", now, { firstSightLikely: true });
      return { inserted, points: total, earlier: undefined };
    });
    if (storeMember) scopes.memberStored(scope);
    if (!outcome.inserted) {
      return privateReply([{ type: "text", text: t.alreadyAnswered(choiceLabel(question, outcome.earlier?.choice ?? 0)) }]);
    }
    this.activeDays.add(day);
    this.review.cardStored(scope, round.question_id);
    this.scheduleCountEdit(round.id);
    return privateReply(renderFeedback(t, question, choice, outcome.points));
  }

  /** The 50/50 button: for this member only and once, the round with all but one wrong choice gone. */
  async lifeline(scope: Scope, roundId: string): Promise<Reply> {
    const { t, settings } = scope;
    const { db } = this.k;
    const clicked = await this.clickedRound(scope, roundId);
    if ("visibility" in clicked) return clicked;
    const { round, question, now } = clicked;
    if (!settings.lifelines) return privateReply([{ type: "text", text: t.lifelinesOff }]);
    if (question.text.choices.length < 3) return privateReply([{ type: "text", text: t.lifelineTooFewChoices }]);
    const answered = await progress.getAnswer(db, round.id, scope.memberId);
    if (answered) return privateReply([{ type: "text", text: t.alreadyAnswered(choiceLabel(question, answered.choice)) }]);
    const used = await rounds.lifelineOf(db, round.id, scope.memberId);
    if (used !== undefined) return privateReply([{ type: "text", text: t.lifelineUsed(lifelineChoices(question, used)) }]);
    const wrong = question.text.choices.map((_, i) => i).filter((i) => i !== question.answer);
    const pick = wrong[Math.floor(this.k.random() * wrong.length)] as number;
    await this.k.scopes.ensureMember(scope);
    await rounds.insertLifeline(db, {
      round_id: round.id,
      member_id: scope.memberId,
      workspace_id: scope.workspaceId,
      kept_choice: pick,
      used_at: now.toISOString(),
    });
    // Two presses at once (or on two replicas): the first insert wins, and only its press shows the choices.
    const kept = await rounds.lifelineOf(db, round.id, scope.memberId);
    if (kept !== pick) return privateReply([{ type: "text", text: t.lifelineUsed(lifelineChoices(question, kept ?? pick)) }]);
    return privateReply(renderLifeline(t, round.id, question, kept));
  }

  /** Edits a round's public answer count, at most once every 2 seconds per round. */
  private scheduleCountEdit(roundId: string): void {
    const edit = this.countEdits.get(roundId) ?? { last: 0 };
    this.countEdits.set(roundId, edit);
    if (edit.timer) return;
    // Wall time, not the injected clock: this paces real calls to the platform.
    const wait = Math.max(0, edit.last + countEditIntervalMs - Date.now());
    edit.timer = setTimeout(() => {
      edit.timer = undefined;
      edit.last = Date.now();
      this.k.delivery.inBackground(() => {
        edit.running = this.editCount(roundId);
        return edit.running;
      });
    }, wait);
    edit.timer.unref();
  }

  private async editCount(roundId: string): Promise<void> {
    const round = await rounds.getRound(this.k.db, roundId);
    if (round?.status !== "open" || !round.message_ref) return;
    const settings: Settings = await this.k.scopes.settingsOf(round.workspace_id);
    const question = await this.k.catalog.questionView(round.question_id, settings.language);
    const count = await progress.countRoundAnswers(this.k.db, roundId);
    const message = renderRound(strings(settings.language), roundView(round, settings), question, count);
    await this.k.delivery.update(roundAddress(round), round.message_ref, message);
  }
}

/** Where a round's message is: its channel, in its thread if it was posted in one. */
function roundAddress(round: rounds.RoundRow): ChannelAddress {
  return { ...addressOf(round.channel_id), ...(round.thread_id ? { threadId: round.thread_id } : {}) };
}

/** Keys each open transaction has written: a member's answers that share a batch record their day once. */
const writtenIn = new WeakMap<Db, Set<string>>();

function firstInTransaction(trx: Db, key: string): boolean {
  let written = writtenIn.get(trx);
  if (!written) {
    written = new Set();
    writtenIn.set(trx, written);
  }
  if (written.has(key)) return false;
  written.add(key);
  return true;
}
