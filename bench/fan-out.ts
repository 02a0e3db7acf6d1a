import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { addDays, localDateOf, startOfWeek } from "../src/core/local-time.ts";
import type { Result } from "./harness.ts";
import { benchDatabase, webApiFields } from "./setup.ts";

const latencyMs = 5;
/** Slack's chat.postMessage limit, as a token bucket per channel: 1 message a second, bursts of 2. */
const burst = 2;
const refillPerSecond = 1;
/** Slack requests in flight: defaultFanOut.slack in src/study-bot.ts. */
const fanOut = 20;
const members = 10_000;
const historyDays = 7;
const token = "xoxb-bench";
/** /proc reports CPU time in USER_HZ ticks, which Linux fixes at 100 a second. */
const msPerTick = 10;

interface ChannelPosts {
  digests: number;
  /** Questions of the day posted in the thread of the channel's digest (thread_ts its ts). */
  rounds: number;
  digestTs?: string;
  others: number;
  /** When each post was accepted (performance.now() ms). */
  accepted: number[];
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfter?: number;
}

/** A lean Slack Web API: every call answers after `latencyMs`; chat.postMessage is rate limited per channel and recorded. */
class RateLimitedSlack {
  readonly channels = new Map<string, ChannelPosts>();
  readonly calls = new Map<string, number>();
  rateLimited = 0;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sequence = 0;
  private readonly server = createServer((req, res) => this.handle(req, res));

  /** Starts listening on 127.0.0.1 and returns what SLACK_API_URL should be. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
      this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
      const fields = webApiFields(req.headers["content-type"], Buffer.concat(chunks).toString("utf8"));
      const answer = method === "chat.postMessage" ? this.post(fields) : this.other(method);
      setTimeout(() => {
        res.writeHead(answer.status, {
          "content-type": "application/json",
          ...(answer.retryAfter ? { "retry-after": String(answer.retryAfter) } : {}),
        });
        res.end(JSON.stringify(answer.body));
      }, latencyMs);
    });
  }

  /** Rate limited when the request arrives, as Slack does; an accepted post is recorded at that moment. */
  private post(fields: Record<string, unknown>): Answer {
    const channel = String(fields.channel ?? "");
    const now = performance.now();
    const retryAfter = this.take(channel, now);
    if (retryAfter > 0) {
      this.rateLimited++;
      return { status: 429, body: { ok: false, error: "ratelimited" }, retryAfter };
    }
    let posts = this.channels.get(channel);
    if (!posts) {
      posts = { digests: 0, rounds: 0, others: 0, accepted: [] };
      this.channels.set(channel, posts);
    }
    posts.accepted.push(now);
    // Digests carry study_digest metadata keyed digest:<id>, recaps recap:<...>; the question of the day carries none
    // and replies in the digest's thread. Anything else (a question in the channel) is counted apart.
    const key = (fields.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.sequence).padStart(6, "0")}`;
    if (key?.startsWith("digest:")) {
      posts.digests++;
      posts.digestTs = ts;
    } else if (key === undefined && posts.digestTs !== undefined && fields.thread_ts === posts.digestTs) posts.rounds++;
    else posts.others++;
    return { status: 200, body: { ok: true, channel, ts, message: { ts } } };
  }

  /** Takes a token from the channel's bucket; 0 when taken, else the whole seconds until one is there. */
  private take(channel: string, now: number): number {
    const bucket = this.buckets.get(channel) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * refillPerSecond);
    bucket.at = now;
    this.buckets.set(channel, bucket);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / refillPerSecond);
    bucket.tokens -= 1;
    return 0;
  }

  private other(method: string): Answer {
    switch (method) {
      case "auth.test":
        return { status: 200, body: { ok: true, team_id: "T1", user_id: "UBOT", bot_id: "BBOT", user: "study-bot" } };
      case "conversations.history":
        return { status: 200, body: { ok: true, messages: [], has_more: false } };
      default:
        return { status: 200, body: { ok: false, error: "unknown_method" } };
    }
  }
}

/**
 * A seeded SQLite file with one Slack workspace: `channels` channels subscribed at 00:00 UTC every day (so all due now),
 * 10,000 members, and a week of history: per channel a posted digest and a closed daily round a day, each member
 * answering their home channel's round every day (the picker weighs questions by those answers).
 */
async function prepareDatabase(channels: number, now: Date): Promise<string> {
  const { db, path } = await benchDatabase(now);
  const questions = (await db.selectFrom("questions").select("id").where("retired", "=", 0).execute()).map((q) => q.id);
  const articles = (await db.selectFrom("articles").select("url").where("retired", "=", 0).execute()).map((a) => a.url);
  await db.destroy();
  const at = now.toISOString();
  const today = localDateOf(now, "UTC");
  const ws = "slack:T1";
  const raw = new Database(path);
  raw.transaction(() => {
    raw
      .prepare(
        "insert into workspaces (id, platform, external_id, name, timezone, study_days, created_at) values (?, 'slack', 'T1', 'acme', 'UTC', 'every-day', ?)",
      )
      .run(ws, at);
    const channel = raw.prepare("insert into channels (id, workspace_id, external_id) values (?, ?, ?)");
    const subscription = raw.prepare(
      "insert into subscriptions (channel_id, workspace_id, post_time, status, created_at, updated_at) values (?, ?, '00:00', 'active', ?, ?)",
    );
    // This week's recap and last season's standings already done, so a Monday or the 1st does the same work (digest and
    // round) as any other day.
    const recap = raw.prepare(
      "insert into recaps (id, channel_id, week_start, status, claimed_at, message_ref) values (?, ?, ?, 'posted', ?, 'bench')",
    );
    const lastSeason = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
    raw
      .prepare(
        "insert into seasons (workspace_id, season, champion_member_id, role_status, role_detail, decided_at) values (?, ?, null, 'none', null, ?)",
      )
      .run(ws, lastSeason, at);
    const standings = raw.prepare(
      "insert into season_posts (id, channel_id, season, status, claimed_at, message_ref) values (?, ?, ?, 'posted', ?, 'bench')",
    );
    for (let c = 0; c < channels; c++) {
      const id = `${ws}:C${c}`;
      channel.run(id, ws, `C${c}`);
      subscription.run(id, ws, at, at);
      recap.run(`recap:${c}`, id, startOfWeek(today), at);
      standings.run(`season:${c}`, id, lastSeason, at);
    }
    const member = raw.prepare("insert into members (id, workspace_id, external_id, display_name, created_at) values (?, ?, ?, ?, ?)");
    for (let m = 0; m < members; m++) member.run(`${ws}:U${m}`, ws, `U${m}`, `member ${m}`, at);
    const round = raw.prepare(
      `insert into rounds (id, workspace_id, channel_id, question_id, kind, status, opened_at, closes_at, closed_at, message_ref, results_claimed_at, results_edited_at)
       values (?, ?, ?, ?, 'daily', 'closed', ?, ?, ?, 'bench', ?, ?)`,
    );
    const digest = raw.prepare(
      `insert into digests (id, channel_id, workspace_id, local_date, article_url, cycle, status, message_ref, round_id, claimed_at, posted_at)
       values (?, ?, ?, ?, ?, 0, 'posted', 'bench', ?, ?, ?)`,
    );
    const answer = raw.prepare(
      "insert into answers (round_id, member_id, workspace_id, choice, correct, points, answered_at, local_date) values (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const activity = raw.prepare("insert into activity (member_id, local_date, workspace_id) values (?, ?, ?)");
    for (let d = 1; d <= historyDays; d++) {
      const date = addDays(today, -d);
      const opened = `${date}T00:00:00.000Z`;
      const closes = `${addDays(date, 1)}T00:00:00.000Z`;
      for (let c = 0; c < channels; c++) {
        const roundId = `r${d}:C${c}`;
        round.run(roundId, ws, `${ws}:C${c}`, questions[(c * 7 + d) % questions.length], opened, closes, closes, closes, closes);
        digest.run(`d${d}:C${c}`, `${ws}:C${c}`, ws, date, articles[(c + d) % articles.length], roundId, opened, opened);
      }
      for (let m = 0; m < members; m++) {
        const correct = (m + d) % 3 === 0 ? 0 : 1;
        answer.run(`r${d}:C${m % channels}`, `${ws}:U${m}`, ws, correct ? 0 : 1, correct, correct * 20, `${date}T09:00:00.000Z`, date);
        activity.run(`${ws}:U${m}`, date, ws);
      }
    }
  })();
  raw.close();
  return path;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** utime + stime (and that of reaped children) at the last poll before exit. */
  cpuMs: number;
  /** utime + stime of the main thread alone (the event loop) at the last poll. */
  mainThreadCpuMs: number;
  /** VmHWM at the last poll: the peak resident set. */
  peakMb: number;
}

/** CPU so far and peak RSS of a live process, from /proc; undefined once it is gone. */
function sample(pid: number): { cpuMs: number; mainThreadCpuMs: number; peakMb: number } | undefined {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (!hwm) return undefined;
    // The process's ticks include its other threads (SQLite's checkpoints) and reaped children; its main thread's do not.
    return {
      cpuMs: ticks(`/proc/${pid}/stat`, 4) * msPerTick,
      mainThreadCpuMs: ticks(`/proc/${pid}/task/${pid}/stat`, 2) * msPerTick,
      peakMb: Number(hwm[1]) / 1024,
    };
  } catch {
    return undefined;
  }
}

/** The sum of the first `count` of utime, stime, cutime, cstime (fields 14-17) in a /proc stat file. */
function ticks(path: string, count: number): number {
  const stat = readFileSync(path, "utf8");
  // Fields after "(comm) " start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields.slice(11, 11 + count).reduce((sum, field) => sum + Number(field), 0);
}

/** `study-bot digest run-due` as its own process against the fake, polling its CPU and peak RSS every 50 ms. */
function runDue(databaseUrl: string, apiUrl: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/study-bot.js", "digest", "run-due"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: "s", SLACK_API_URL: apiUrl },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60 * 60_000,
    });
    let last = { cpuMs: 0, mainThreadCpuMs: 0, peakMb: 0 };
    const timer = setInterval(() => {
      last = (child.pid !== undefined && sample(child.pid)) || last;
    }, 50);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.on("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stdout, stderr, ...last });
    });
  });
}

/** What is wrong with the fan-out: every channel must get exactly one digest and one round, and nothing else. */
function problems(slack: RateLimitedSlack, run: Run, channels: number): string[] {
  const found: string[] = [];
  if (run.code !== 0 || !run.stdout.includes(`digests posted: ${channels}`)) {
    found.push(`run-due exited ${run.code ?? run.signal}: ${run.stdout.trim()} ${run.stderr.trim()}`);
  }
  let wrong = 0;
  for (let c = 0; c < channels; c++) {
    const posts = slack.channels.get(`C${c}`);
    if (posts?.digests !== 1 || posts.rounds !== 1 || posts.others !== 0) wrong++;
  }
  if (wrong > 0 || slack.channels.size !== channels) {
    found.push(
      `${wrong} of ${channels} channels without exactly one digest and one round in its thread (${slack.channels.size} channels posted to)`,
    );
  }
  return found;
}

/**
 * Digest and question-of-the-day (in the digest's thread) fan-out to 10,000 Slack channels (quick: 1,000) by `study-bot digest run-due`, against
 * a fake Web API with 5 ms latency and per-channel rate limits: wall time, CPU per channel and peak memory of the child.
 */
export async function fanOutBenchmark(quick: boolean): Promise<Result[]> {
  const channels = quick ? 1_000 : 10_000;
  const now = new Date();
  const slack = new RateLimitedSlack();
  const apiUrl = await slack.start();
  const bare = (await benchDatabase(now)).path;
  const loaded = await prepareDatabase(channels, now);
  try {
    // The same command with nothing subscribed: startup cost. Run twice, the lower counts (the first warms the file cache).
    const idle = [await runDue(bare, apiUrl), await runDue(bare, apiUrl)];
    const startupCpuMs = Math.min(...idle.map((r) => r.cpuMs));
    const idlePeakMb = Math.min(...idle.map((r) => r.peakMb));
    const fakeCpu = process.cpuUsage();
    const run = await runDue(loaded, apiUrl);
    const { user, system } = process.cpuUsage(fakeCpu);
    const fakeCpuMs = (user + system) / 1000;
    const wrong = problems(slack, run, channels);
    for (const problem of wrong) console.error(`fan-out: ${problem}`);

    const posted = [...slack.channels.values()];
    const accepted = posted.flatMap((p) => p.accepted);
    const wallSeconds = accepted.length > 0 ? (Math.max(...accepted) - Math.min(...accepted)) / 1000 : Number.NaN;
    const perChannel = Math.max(...posted.map((p) => p.accepted.length));
    // What a perfect client achieves under the fake's limits with `fanOut` requests in flight:
    // max(ceil(total posts / fanOut) * latency, per-channel bound), where a channel's posts go one after another (the
    // round replies in its digest's thread, so it needs the digest's ts first; a thread reply counts against the
    // channel's limit like any post) and the bucket lets `burst` through at once, then `refillPerSecond`.
    const perChannelSeconds = Math.max(0, perChannel - burst) / refillPerSecond + (perChannel * latencyMs) / 1000;
    const allowedSeconds = Math.max((Math.ceil(accepted.length / fanOut) * latencyMs) / 1000, perChannelSeconds);
    // Startup included: the conservative figure; the net figure is logged beside it.
    const msPerChannel = run.cpuMs / channels;
    console.error(
      `fan-out: ${channels} channels, ${accepted.length} posts, ${slack.rateLimited} answered 429, calls ${JSON.stringify(Object.fromEntries(slack.calls))}; ` +
        `child CPU ${run.cpuMs} ms (startup ${startupCpuMs} ms, net ${((run.cpuMs - startupCpuMs) / channels).toFixed(3)} ms/channel)`,
    );
    // The event loop does the posting: when its CPU time nears the wall time, the fan-out waits on its own thread.
    console.error(
      `fan-out: the child's main thread used ${(run.mainThreadCpuMs / 1000).toFixed(2)} s of CPU, start-up included, for ${wallSeconds.toFixed(2)} s of posting; ` +
        `this process (the fake Web API) used ${(fakeCpuMs / 1000).toFixed(2)} s`,
    );
    const ok = wrong.length === 0;
    return [
      {
        name: "fan-out wall",
        figure: wallSeconds,
        unit: "s",
        baseline: allowedSeconds,
        ratio: allowedSeconds / wallSeconds,
        target: "<= 1.2 x allowed",
        pass: ok && wallSeconds <= 1.2 * allowedSeconds,
      },
      {
        name: "fan-out cpu",
        figure: msPerChannel,
        unit: "ms/channel",
        // The share of the figure that is process start-up (the same command with nothing to post).
        baseline: startupCpuMs / channels,
        ratio: null,
        target: "< 2 ms",
        pass: ok && msPerChannel < 2,
      },
      // The peak during the fan-out is at least the RSS after it, so it is the conservative figure.
      {
        name: "memory",
        figure: run.peakMb,
        unit: "MB",
        baseline: idlePeakMb,
        ratio: null,
        target: "< 200 MB",
        pass: ok && run.peakMb < 200,
      },
    ];
  } finally {
    await slack.stop();
  }
}
