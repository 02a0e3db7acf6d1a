import Database from "better-sqlite3";
import { middlePair, type Result } from "./harness.ts";
import { actor, benchBot, benchDatabase, where } from "./setup.ts";

/**
 * The core's answer path against raw better-sqlite3 inserting the same row, one transaction each, same file settings
 * (WAL, synchronous = FULL); and the same path against itself on synchronous = NORMAL, the price of durable commits.
 */
export async function answersBenchmark(quick: boolean): Promise<Result[]> {
  const members = quick ? 100 : 800;
  const roundsCount = 25;
  const now = new Date("2026-11-23T10:00:00Z");
  const { db, path } = await benchDatabase(now);
  const bot = benchBot(db, { now: () => now });
  // The same path on a database with synchronous = NORMAL: what FULL's fsync at every commit costs.
  const normal = await benchDatabase(now, "normal");
  const normalBot = benchBot(normal.db, { now: () => now });
  const openRounds = async (prefix: string, count: number, memberCount: number, on = { bot, db }) => {
    for (let i = 0; i < count; i++) await on.bot.command({ address: where(`${prefix}${i}`), actor: actor("host"), text: "quiz" });
    const rounds = await on.db.selectFrom("rounds").select(["id", "channel_id"]).where("channel_id", "like", `%:${prefix}%`).execute();
    return rounds.flatMap((round) =>
      Array.from({ length: memberCount }, (_, m) => ({
        round,
        member: `${prefix}m${m}`,
        channel: round.channel_id.split(":").at(-1) as string,
      })),
    );
  };
  // Members click at once, as a channel does when a round is posted: 50 clicks in flight, like the slack-http clients.
  const clickAll = async (clicks: Awaited<ReturnType<typeof openRounds>>, on = bot) => {
    let next = 0;
    const clicker = async () => {
      while (next < clicks.length) {
        const click = clicks[next++] as (typeof clicks)[number];
        await on.click({ address: where(click.channel), actor: actor(click.member), action: "answer", value: `${click.round.id}:0` });
      }
    };
    await Promise.all(Array.from({ length: 50 }, clicker));
  };
  // Untimed warm-up on other rounds and members, so both sides are measured with the JIT warm.
  await clickAll(await openRounds("W", 5, 200));
  await clickAll(await openRounds("W", 5, 200, { bot: normalBot, db: normal.db }), normalBot);
  const raw = new Database(`${path}.raw`);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = FULL");
  raw.exec(
    "create table answers (round_id text, member_id text, workspace_id text, choice integer, correct integer, points integer, answered_at text, local_date text, primary key (round_id, member_id))",
  );
  const insert = raw.prepare("insert into answers values (?, ?, ?, ?, ?, ?, ?, ?)");
  const once = raw.transaction((round: string, member: string) =>
    insert.run(round, member, "console:W", 0, 1, 20, now.toISOString(), "2026-11-23"),
  );
  for (let i = 0; i < 1000; i++) once("warm-up", `w${i}`);

  // A side takes about a second: the two run back to back three times (once with --quick), each time on new rounds
  // and members, and the pair with the middle ratio counts (see middlePair).
  const runs: Array<{ figure: number; baseline: number }> = [];
  const durability: Array<{ figure: number; baseline: number }> = [];
  for (let run = 0; run < (quick ? 1 : 3); run++) {
    const clicks = await openRounds(`C${run}-`, roundsCount, members);
    const started = process.hrtime.bigint();
    await clickAll(clicks);
    const figure = clicks.length / (Number(process.hrtime.bigint() - started) / 1e9);
    const rawStarted = process.hrtime.bigint();
    for (const click of clicks) once(click.round.id, click.member);
    runs.push({ figure, baseline: clicks.length / (Number(process.hrtime.bigint() - rawStarted) / 1e9) });
    const normalClicks = await openRounds(`N${run}-`, roundsCount, members, { bot: normalBot, db: normal.db });
    const normalStarted = process.hrtime.bigint();
    await clickAll(normalClicks, normalBot);
    durability.push({ figure, baseline: normalClicks.length / (Number(process.hrtime.bigint() - normalStarted) / 1e9) });
  }
  bot.stop();
  normalBot.stop();
  await db.destroy();
  await normal.db.destroy();
  raw.close();
  console.error(`answers: ${runs.map((r) => `${Math.round(r.figure)}/s against ${Math.round(r.baseline)}/s`).join("; ")}`);
  const { figure, baseline, ratio } = middlePair(runs);
  const fsync = middlePair(durability);
  return [
    {
      name: "answers",
      figure,
      unit: "answers/s",
      baseline,
      ratio,
      target: ">= 5000/s and >= 0.5 x baseline",
      pass: figure >= 5000 && ratio >= 0.5,
    },
    {
      name: "answers, synchronous FULL",
      figure: fsync.figure,
      unit: "answers/s",
      baseline: fsync.baseline,
      ratio: fsync.ratio,
      target: ">= 0.5 x the same path on synchronous = NORMAL",
      pass: fsync.ratio >= 0.5,
    },
  ];
}
