import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot, spawnStudyBot } from "../helpers/cli.ts";
import { FakeSlack } from "../helpers/fake-slack.ts";
import { postSigned, slackProcessEnv, slashCommandBody } from "../helpers/slack-harness.ts";
import { freePort } from "../helpers/test-bot.ts";

interface Running {
  bot: ChildProcess;
  port: number;
  database: string;
  exited: Promise<{ code: number | null; at: number }>;
}

let slack: FakeSlack | undefined;
let running: Running | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (running?.bot.exitCode === null) running.bot.kill("SIGKILL");
  await slack?.stop();
  slack = running = undefined;
});

/** `study-bot run` serving Slack over HTTP with the given limits, once /healthz answers. */
async function startBot(env: Record<string, string>): Promise<Running> {
  slack = new FakeSlack();
  await slack.start();
  const port = await freePort();
  const database = join(mkdtempSync(join(tmpdir(), "study-bot-limits-")), "bot.sqlite");
  const bot = spawnStudyBot({ DATABASE_URL: database, ...slackProcessEnv(slack, port), LOG_LEVEL: "warn", ...env });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => bot.on("exit", (code) => resolve({ code, at: Date.now() })));
  const started = Date.now();
  while (Date.now() - started < 30_000) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { bot, port, database, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the bot did not start");
}

/** A client that sends the start of a request and then `trickle` one byte every 200 ms, or nothing more. */
function slowClient(port: number, opening: string, trickle = false): { socket: Socket; closed: Promise<number> } {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  const opened = Date.now();
  socket.on("error", () => {});
  // Read what the server sends, or its closing the connection never surfaces as 'close'.
  socket.resume();
  socket.write(opening);
  const timer = trickle ? setInterval(() => socket.writable && socket.write("a"), 200) : undefined;
  const closed = new Promise<number>((resolve) =>
    socket.on("close", () => {
      clearInterval(timer);
      resolve(Date.now() - opened);
    }),
  );
  return { socket, closed };
}

// A current timestamp, so the request is read (its signature is checked only once the body is in).
const opening = (length: number) =>
  `POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}\r\nContent-Length: ${length}\r\n\r\n`;
const bodyStart = () => opening(1000);

describe("Slack HTTP mode: limits on clients", () => {
  it("drops a client that trickles its body past the request timeout, and one that never finishes its headers", async () => {
    running = await startBot({ HTTP_REQUEST_TIMEOUT_SECONDS: "2", HTTP_HEADERS_TIMEOUT_SECONDS: "1" });
    const trickling = slowClient(running.port, bodyStart(), true);
    const headers = slowClient(running.port, "POST /slack/events HTTP/1.1\r\nHost: bot\r\n");
    // The request timeout plus the once-a-second check; Node's defaults (300 s, 60 s) would keep both.
    expect(await trickling.closed).toBeLessThan(5000);
    expect(await headers.closed).toBeLessThan(4000);
    expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
  }, 30_000);

  it("refuses a body over the limit with 413, and a connection over the cap", async () => {
    running = await startBot({ HTTP_BODY_LIMIT_KB: "64", HTTP_MAX_CONNECTIONS: "3" });
    const events = `http://127.0.0.1:${running.port}/slack/events`;
    expect((await postSigned(events, `text=${"x".repeat(70 * 1024)}`)).status).toBe(413);
    // Refused as its body passes the limit, a client that goes on trickling the rest is closed too.
    const oversized = slowClient(running.port, `${opening(200_000)}${"x".repeat(70 * 1024)}`, true);
    let answer = "";
    oversized.socket.on("data", (d) => {
      answer += d;
    });
    expect(await oversized.closed).toBeLessThan(3000);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    const held = [0, 1, 2].map(() => slowClient(running?.port ?? 0, "GET /healthz HTTP/1.1\r\n"));
    await new Promise((r) => setTimeout(r, 300));
    const extra = slowClient(running.port, "");
    expect(await extra.closed).toBeLessThan(2000);
    for (const client of held) client.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
  }, 30_000);
});

describe("a SQLite file locked by another process", () => {
  it("costs a request a short wait and a clear reply, never the process: /healthz stays fast and says degraded", async () => {
    running = await startBot({});
    const base = `http://127.0.0.1:${running.port}`;
    const events = `${base}/slack/events`;
    const command = (text: string, responseId: string) => postSigned(events, slashCommandBody(slack as FakeSlack, text, responseId));
    const reply = async (responseId: string) => {
      await slack?.until(() => (slack?.responses ?? []).some((r) => r.id === responseId), 15_000);
      return String(slack?.responses.find((r) => r.id === responseId)?.body.text);
    };
    // Another process (a backup, digest run-due) takes the write lock and keeps it for 8 s.
    const blocker = new Database(running.database);
    blocker.exec("BEGIN IMMEDIATE");
    const held = Date.now();
    expect((await command("config timezone Asia/Shanghai", "busy")).status).toBe(200);
    const timings: number[] = [];
    const states = new Set<string>();
    while (Date.now() - held < 6000) {
      const started = Date.now();
      const health = (await (await fetch(`${base}/healthz`)).json()) as { status: string };
      timings.push(Date.now() - started);
      states.add(health.status);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(Math.max(...timings)).toBeLessThan(1000);
    expect(states).toContain("degraded");
    expect(await reply("busy")).toMatch(/The database is busy right now/);
    blocker.exec("ROLLBACK");
    blocker.close();
    expect(((await (await fetch(`${base}/healthz`)).json()) as { status: string }).status).toBe("ok");
    await command("config", "after");
    expect(await reply("after")).toContain("timezone: UTC");
  }, 40_000);
});

describe("fault drill through the real entry point", () => {
  it("20 clients clicking through a 5 s lock held by another process, then a slow client and SIGTERM: nothing lost", async () => {
    running = await startBot({ STUDY_SHUTDOWN_SECONDS: "3" });
    const base = `http://127.0.0.1:${running.port}`;
    const events = `${base}/slack/events`;
    await postSigned(events, slashCommandBody(slack as FakeSlack, "quiz", "quiz", { user: "U0", name: "host" }));
    await slack?.until(() => (slack?.messages.length ?? 0) === 1, 10_000);
    const round = slack?.messages[0];
    const actions = round?.blocks.find((b) => b.type === "actions") as
      | { elements: Array<{ action_id: string; value: string }> }
      | undefined;
    const buttons = actions?.elements ?? [];

    // /healthz is polled every 200 ms from here to the end; each answer must come within 1 s.
    const healthTimes: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const started = Date.now();
        await fetch(`${base}/healthz`).then(
          (r) => r.text(),
          () => "",
        );
        healthTimes.push(Date.now() - started);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    // Another process takes the write lock for 5 s.
    const lock = spawn(
      process.execPath,
      [
        "-e",
        `const D=require("better-sqlite3");const d=new D(process.argv[1]);d.exec("BEGIN IMMEDIATE");console.log("locked");setTimeout(()=>{d.exec("ROLLBACK");process.exit(0)},5000)`,
        running.database,
      ],
      { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise((resolve) => lock.stdout?.once("data", resolve));
    const lockReleased = new Promise((resolve) => lock.on("exit", resolve));
    const clicks = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const user = `U${i + 1}`;
        const button = buttons[i % buttons.length] as { action_id: string; value: string };
        const payload = JSON.parse(readFileSync(new URL("../fixtures/slack/block-actions.json", import.meta.url), "utf8"));
        payload.user = { ...payload.user, id: user, username: user, name: user };
        payload.message = { ...payload.message, ts: round?.ts };
        payload.container = { ...payload.container, message_ts: round?.ts };
        payload.response_url = slack?.responseUrl(`click-${user}`);
        payload.actions[0] = { ...payload.actions[0], action_id: button.action_id, value: button.value };
        const sent = await postSigned(events, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
        return { user, status: sent.status, ms: sent.ms };
      }),
    );
    expect(clicks.every((c) => c.status === 200 && c.ms < 3000)).toBe(true);
    await lockReleased;
    await slack?.until(() => clicks.every((c) => slack?.responses.some((r) => r.id === `click-${c.user}`)), 15_000);
    const replies = clicks.map((c) => String(slack?.responses.find((r) => r.id === `click-${c.user}`)?.body.text));
    // Each click was either accepted (and is then in the database) or told the database was busy: none is lost.
    const accepted = clicks.filter((_, i) => /^(Correct!|Not quite)/.test(replies[i] ?? ""));
    expect(replies.every((r) => /^(Correct!|Not quite)|The database is busy/.test(r))).toBe(true);
    const stored = new Database(running.database, { readonly: true });
    const answered = stored.prepare("select member_id from answers").all() as Array<{ member_id: string }>;
    stored.close();
    expect(answered.map((a) => a.member_id).sort()).toEqual(accepted.map((c) => `slack:T1:${c.user}`).sort());
    expect(accepted.length).toBeGreaterThan(0);

    // Then a slow client holds a connection open, and SIGTERM arrives.
    slowClient(running.port, bodyStart(), true);
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    running.bot.kill("SIGTERM");
    const { code, at } = await running.exited;
    polling = false;
    await poller;
    expect(at - signalled).toBeLessThan(4000);
    expect(code).toBe(0);
    expect(Math.max(...healthTimes)).toBeLessThan(1000);
  }, 60_000);
});

describe("shutdown", () => {
  it("exits within its deadline while a slow client holds a connection open", async () => {
    running = await startBot({ STUDY_SHUTDOWN_SECONDS: "3" });
    const slow = slowClient(running.port, bodyStart(), true);
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    running.bot.kill("SIGTERM");
    const { at } = await running.exited;
    expect(at - signalled).toBeLessThan(4000);
    await slow.closed;
  }, 30_000);

  it("exits at once on a second signal", async () => {
    running = await startBot({ STUDY_SHUTDOWN_SECONDS: "60" });
    slowClient(running.port, bodyStart(), true);
    await new Promise((r) => setTimeout(r, 300));
    running.bot.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    const second = Date.now();
    running.bot.kill("SIGTERM");
    const { code, at } = await running.exited;
    expect(at - second).toBeLessThan(1000);
    expect(code).toBe(1);
  }, 30_000);
});
