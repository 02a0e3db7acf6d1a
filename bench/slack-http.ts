import { type ChildProcess, fork } from "node:child_process";
import { createHmac } from "node:crypto";
import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { SlackAdapter } from "../src/adapters/slack/slack-adapter.ts";
import { systemClock } from "../src/core/clock.ts";
import type { Db } from "../src/store/database.ts";
import { StudyBot } from "../src/study-bot.ts";
import { percentile, type Result } from "./harness.ts";
import { benchDatabase, quietLog, webApiFields } from "./setup.ts";

const signingSecret = "bench-signing-secret";
const botToken = "xoxb-bench";
const clients = 50;
const channels = 10;
const loadFlag = "--slack-http-load";

type Command = { type: "run"; events: string; seconds: number; rounds: boolean } | { type: "replies" } | { type: "stop" };
interface LoadRun {
  /** Clicks sent and answered in the timed part. */
  clicks: number;
  /** All clicks sent, warm-up included. */
  sent: number;
  /** Non-200 answers and connection errors. */
  failed: number;
  p99: number;
  /** From the first timed click sent to the last ack received. */
  ms: number;
  /** The load process's CPU time so far (user + system, µs), when the timed part started and when it ended. */
  cpuAtStart: number;
  cpuAtEnd: number;
}
interface Replies {
  /** Clicks without exactly one ephemeral reply through their response_url. */
  missing: number;
  /** From the first timed click sent to the last reply received. */
  lastReplyMs: number;
  /** Web API methods the fake does not know: the bot called something this benchmark does not expect. */
  unknownCalls: number;
  /** The load process's CPU time so far (µs). */
  cpu: number;
}

/**
 * Signed block_actions clicks from 50 keep-alive clients through Bolt's HTTP receiver, the Slack adapter, the core and
 * a SQLite file in WAL mode, against a bare Bolt app acking the same clicks with a no-op handler, same receiver, same run.
 * The clients and the fake Web API run in a child process, as Slack would be remote: the bot's thread only serves.
 */
export async function slackHttpBenchmark(quick: boolean): Promise<Result[]> {
  const seconds = quick ? 3 : 20;
  const load = fork(fileURLToPath(import.meta.url), [loadFlag], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const { base } = await nextMessage<{ base: string }>(load);
    const ours = await measureBot(load, base, seconds);
    const bare = await measureBare(load, base, seconds);
    const failures = ours.failures + bare.failed;
    if (failures > 0) console.error(`slack-http: ${failures} clicks failed or were never answered`);
    const ratio = ours.rate / bare.rate;
    // Both processes share this machine's cores: with every core busy, the CPU a click takes on both sides caps the rate.
    const ceiling = (availableParallelism() * 1e6) / (ours.cpuPerClick + ours.loadCpuPerClick);
    console.error(
      `slack-http: CPU a click, the bot ${Math.round(ours.cpuPerClick)} µs and its clients and fake ${Math.round(ours.loadCpuPerClick)} µs; ` +
        `bare Bolt ${Math.round(bare.cpuPerClick)} µs and its clients ${Math.round(bare.loadCpuPerClick)} µs. ` +
        `With all ${availableParallelism()} cores busy the bot could answer at most ${Math.round(ceiling)} clicks/s: ${(ceiling / bare.rate).toFixed(2)} of bare.`,
    );
    return [
      {
        name: "slack-http p99",
        figure: ours.p99,
        unit: "ms",
        baseline: bare.p99,
        ratio: bare.p99 / ours.p99,
        target: "< 50 ms",
        pass: ours.p99 < 50 && failures === 0,
      },
      {
        name: "slack-http throughput",
        figure: ours.rate,
        unit: "clicks/s",
        baseline: bare.rate,
        ratio,
        target: ">= 0.6 x bare Bolt",
        pass: ratio >= 0.6 && failures === 0,
      },
    ];
  } finally {
    if (load.exitCode === null && load.signalCode === null) {
      const exited = new Promise((resolve) => load.once("exit", resolve));
      load.send({ type: "stop" } satisfies Command);
      await exited;
    }
  }
}

/** The real adapter and core on a seeded database; throughput counts a click once its reply reached the fake. */
async function measureBot(load: ChildProcess, base: string, seconds: number) {
  const { db } = await benchDatabase(new Date());
  const bot = new StudyBot({ db, clock: systemClock, defaults: { timezone: "UTC", language: "en" }, log: quietLog });
  const adapter = new SlackAdapter({
    signingSecret,
    botToken,
    port: 0,
    host: "127.0.0.1",
    apiUrl: `${base}/api/`,
    admins: new Set(),
    retryConfig: { retries: 0 },
    log: quietLog,
    events: { handled: async () => false, markHandled: async () => {} },
  });
  bot.addAdapter(adapter);
  await adapter.start(bot);
  try {
    const before = await countAnswers(db);
    const cpu = cpuSoFar();
    const run = await ask<LoadRun>(load, { type: "run", events: `http://127.0.0.1:${adapter.port}/slack/events`, seconds, rounds: true });
    const replies = await settled(load);
    const used = cpuSoFar() - cpu;
    const lost = run.sent - (await countAnswers(db)) + before;
    return {
      p99: run.p99,
      // Every thread of this process (the checkpoint thread too), warm-up clicks included: a few dozen in tens of thousands.
      cpuPerClick: used / run.clicks,
      // Replies still arriving after the last ack are the fake's work too.
      loadCpuPerClick: (replies.cpu - run.cpuAtStart) / run.clicks,
      // Acks go out before the core's work: a backlog still draining after the last ack counts against throughput.
      rate: run.clicks / (Math.max(run.ms, replies.lastReplyMs) / 1000),
      failures: run.failed + replies.missing + replies.unknownCalls + Math.max(0, lost),
    };
  } finally {
    await adapter.stop();
    bot.stop();
    await bot.settle();
    await db.destroy();
  }
}

async function measureBare(load: ChildProcess, base: string, seconds: number) {
  const app = new App({
    token: botToken,
    receiver: new HTTPReceiver({ signingSecret, endpoints: "/slack/events" }),
    clientOptions: { slackApiUrl: `${base}/api/`, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
    deferInitialization: true,
  });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  await app.init();
  const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
  try {
    const events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const cpu = cpuSoFar();
    const run = await ask<LoadRun>(load, { type: "run", events, seconds, rounds: false });
    const used = cpuSoFar() - cpu;
    return {
      p99: run.p99,
      rate: run.clicks / (run.ms / 1000),
      failed: run.failed,
      cpuPerClick: used / run.clicks,
      loadCpuPerClick: (run.cpuAtEnd - run.cpuAtStart) / run.clicks,
    };
  } finally {
    await app.stop();
  }
}

/** Polls the fake until every click has its reply, or until replies stop arriving for 10 s. */
async function settled(load: ChildProcess): Promise<Replies> {
  let replies = await ask<Replies>(load, { type: "replies" });
  for (let stalled = 0; replies.missing > 0 && stalled < 10_000; stalled += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await ask<Replies>(load, { type: "replies" });
    if (next.missing < replies.missing) stalled = 0;
    replies = next;
  }
  return replies;
}

async function countAnswers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("answers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function ask<T>(child: ChildProcess, command: Command): Promise<T> {
  const answer = nextMessage<T>(child);
  child.send(command);
  return answer;
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`slack-http load process exited with ${code}`));
    child.once("exit", exited);
    child.once("message", (message) => {
      child.off("exit", exited);
      resolve(message as T);
    });
  });
}

// ---- the child process: Slack's side (clients and Web API) ----

/** What the load process knows of the current run. */
const state = {
  /** Replies per click id (the click's index, also its response_url path). */
  replies: [] as number[],
  badReplies: 0,
  unknownCalls: 0,
  started: 0,
  lastReplyAt: 0,
  /** The answer buttons [action_id, value] of the round posted in each channel. */
  buttons: new Map<string, Array<[string, string]>>(),
};

async function loadProcess(): Promise<void> {
  const server = createServer((req, res) => {
    fakeWebApi(req, res).catch((error) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.on("message", async (command: Command) => {
    if (command.type === "run") process.send?.(await run(base, command));
    if (command.type === "replies") {
      const missing = state.replies.filter((n) => n !== 1).length + state.badReplies;
      process.send?.({
        missing,
        lastReplyMs: state.lastReplyAt - state.started,
        unknownCalls: state.unknownCalls,
        cpu: cpuSoFar(),
      } satisfies Replies);
    }
    if (command.type === "stop") {
      server.closeAllConnections();
      server.close();
      process.disconnect();
    }
  });
  process.send?.({ base });
}

async function run(base: string, command: Extract<Command, { type: "run" }>): Promise<LoadRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const events = new URL(command.events);
  Object.assign(state, { replies: [], badReplies: 0, unknownCalls: 0, lastReplyAt: 0, buttons: new Map() });
  if (command.rounds) await openRounds(agent, events, base);
  let failed = 0;
  // Click k of client c goes to channel (c + k) % 10 as that client's member floor(k / 10): every click is a new
  // answer (no "already answered"), each member answers all 10 rounds once, then the client brings a new member.
  const click = async (c: number, k: number, latencies: number[]) => {
    const member = Math.floor(k / channels);
    const channel = `C${(c + k) % channels}`;
    const buttons = state.buttons.get(channel) ?? [["answer:0", "bare:0"]];
    const [actionId, value] = buttons[member % buttons.length] as [string, string];
    const id = state.replies.push(0) - 1;
    const payload = clickPayload(`U${c}X${member}`, channel, actionId, value, `${base}/response/${id}`);
    const status = await postSigned(agent, events, `payload=${encodeURIComponent(JSON.stringify(payload))}`, latencies);
    if (status !== 200) failed++;
  };
  // Untimed warm-up: each client's first click opens its connection (under load a new connection's first request can
  // wait seconds behind the busy ones) and warms the JIT; timing starts once all 50 are answered.
  await Promise.all(Array.from({ length: clients }, (_, c) => click(c, 0, [])));
  const latencies: number[] = [];
  const cpuAtStart = cpuSoFar();
  state.started = performance.now();
  const until = state.started + command.seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let k = 1; performance.now() < until; k++) await click(c, k, latencies);
    }),
  );
  const ms = performance.now() - state.started;
  const cpuAtEnd = cpuSoFar();
  agent.destroy();
  const sent = state.replies.length;
  if (!command.rounds) state.replies = [];
  return { clicks: latencies.length, sent, failed, p99: percentile(latencies, 99), ms, cpuAtStart, cpuAtEnd };
}

/** This process's CPU time so far, all threads (user + system, µs). */
function cpuSoFar(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** `/study quiz` in each channel, then waits for the rounds' posts to learn their buttons. */
async function openRounds(agent: Agent, events: URL, base: string): Promise<void> {
  for (let i = 0; i < channels; i++) {
    const fields = {
      token: "verification-token-unused",
      team_id: "T1",
      team_domain: "acme-eng",
      channel_id: `C${i}`,
      channel_name: `study-${i}`,
      user_id: "UHOST",
      user_name: "host",
      command: "/study",
      text: "quiz",
      api_app_id: "A1",
      is_enterprise_install: "false",
      response_url: `${base}/response/command-${i}`,
      trigger_id: "13345224609.738474920.8088930838d88f008e0",
    };
    await postSigned(agent, events, new URLSearchParams(fields).toString(), []);
  }
  const deadline = Date.now() + 10_000;
  while (state.buttons.size < channels) {
    if (Date.now() > deadline) throw new Error(`slack-http: ${state.buttons.size} of ${channels} rounds posted`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The block_actions payload Slack sends for a button click (the shape of tests/fixtures/slack/block-actions.json). */
function clickPayload(user: string, channel: string, actionId: string, value: string, responseUrl: string) {
  return {
    type: "block_actions",
    user: { id: user, username: user, name: user, team_id: "T1" },
    api_app_id: "A1",
    token: "verification-token-unused",
    container: { type: "message", message_ts: "1700000001.000100", channel_id: channel, is_ephemeral: false },
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    team: { id: "T1", domain: "acme-eng" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: "backend-study" },
    message: { type: "message", ts: "1700000001.000100", bot_id: "BBOT", text: "Quiz", blocks: [] },
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: "actions-4",
        text: { type: "plain_text", text: "A", emoji: true },
        value,
        type: "button",
        action_ts: "1700000002.000300",
      },
    ],
  };
}

/** Posts a body signed like Slack (v0 scheme); records the milliseconds from sending to the response (the ack). */
function postSigned(agent: Agent, url: URL, body: string, latencies: number[]): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const headers = {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": Buffer.byteLength(body),
    "x-slack-request-timestamp": timestamp,
    "x-slack-signature": signature,
  };
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(url, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => {
        latencies.push(performance.now() - started);
        resolve(res.statusCode ?? 0);
      });
    });
    req.on("error", () => {
      latencies.push(performance.now() - started);
      resolve(0);
    });
    req.end(body);
  });
}

/** The Web API calls and response_url posts the bot makes here; it keeps counts, not bodies, to stay small under load. */
async function fakeWebApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  const path = req.url ?? "";
  if (path.startsWith("/response/")) {
    const id = Number(path.slice("/response/".length));
    if (Number.isInteger(id) && id < state.replies.length) {
      state.replies[id] = (state.replies[id] ?? 0) + 1;
      if ((JSON.parse(raw) as { response_type?: string }).response_type !== "ephemeral") state.badReplies++;
      state.lastReplyAt = performance.now();
    }
    return json(res, { ok: true });
  }
  const fields = webApiFields(req.headers["content-type"], raw);
  switch (path.replace(/^\/api\//, "")) {
    case "auth.test":
      return json(res, { ok: true, team_id: "T1", user_id: "UBOT", bot_id: "BBOT", user: "study-bot", team: "Bench" });
    case "chat.postMessage": {
      const blocks = (fields.blocks ?? []) as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
      const elements = blocks.find((b) => b.type === "actions")?.elements ?? [];
      const channel = String(fields.channel ?? "");
      state.buttons.set(
        channel,
        elements.filter((e) => e.action_id.startsWith("answer:")).map((e) => [e.action_id, e.value]),
      );
      return json(res, { ok: true, channel, ts: `${Math.floor(Date.now() / 1000)}.${String(state.buttons.size).padStart(6, "0")}` });
    }
    case "chat.update":
      return json(res, { ok: true, channel: fields.channel, ts: fields.ts });
    default:
      state.unknownCalls++;
      return json(res, { ok: false, error: "unknown_method" });
  }
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

if (process.argv.includes(loadFlag)) await loadProcess();
