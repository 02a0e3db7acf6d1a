import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config.ts";
import { articleTextReader, articleTextsDir } from "./content/article-texts.ts";
import { ContentError, formatIssue, readCheckedContent, seedDatabase } from "./content/seed.ts";
import { forgetMember } from "./features/forget/forget-member.ts";
import { packHelp, runPackCommand } from "./features/packs/pack-cli.ts";
import { runBot, runDueOnce } from "./main.ts";
import { backupDatabase, checkConnection, migrateToLatest, openDatabase, StartupError } from "./store/database.ts";
import { forgetWorkspace } from "./store/forget-workspace.ts";

const help: Record<string, string> = {
  main: `study-bot: a study bot for engineering teams (Slack, Discord, console)

Usage: study-bot [command] [--help]

Commands:
  run               start the bot (default); with no platform tokens, the console bot
  migrate           apply pending database migrations
  seed              import seeds/ into the database (idempotent)
  content check     validate seeds/ and print the counts
  digest run-due    post what is due now (one pass of the minute job) and exit
  discord register  register the Discord slash commands and print the invite URL
  backup <file>     copy the SQLite database to a new file, also while the bot runs
  workspace forget  delete everything stored for one workspace (<platform>:<id>)
  member forget     delete one member's data (<platform>:<workspace>:<user>), as /study forget-me does
  pack              a workspace's own question packs: import, list, enable, disable, remove, export

study-bot <command> --help prints a command's details.
Configuration comes from the environment and .env: see .env.example.`,
  run: "Usage: study-bot run\n\nStarts the bot. Migrations and content import run first. With no platform tokens the bot runs in this terminal: type /study help; it exits when input ends.",
  migrate: "Usage: study-bot migrate\n\nApplies pending migrations to DATABASE_URL and prints their names.",
  seed: "Usage: study-bot seed\n\nChecks seeds/ and imports it into DATABASE_URL: new items are added, edited ones updated in place, removed ones retired.",
  digest:
    "Usage: study-bot digest run-due\n\nOne pass of the minute job: closes overdue rounds, posts every digest that is due, deletes a batch of answers past each workspace's retention, and exits 0 (also when nothing is due). Binds no port and logs in to no gateway; safe beside a running bot on the same database.",
  discord:
    "Usage: study-bot discord register\n\nRegisters /study and /study-admin with Discord (REST only, no gateway): in DISCORD_GUILD_ID at once, else globally. Prints the bot's invite URL.",
  backup:
    "Usage: study-bot backup <file>\n\nCopies the SQLite database named by DATABASE_URL to <file>, a new file (owner-only), as one consistent snapshot: safe while the bot runs, whose writes go on meanwhile. Restore by stopping the bot and putting the copy in place of the database file (delete its -wal and -shm). On PostgreSQL it exits 1 and says to use pg_dump.",
  workspace:
    "Usage: study-bot workspace forget <platform>:<id>\n\nDeletes, in one transaction, every row the bot stored for the workspace (e.g. slack:T0123ABCD, discord:<server id>, console:local): its channels, subscriptions, members with their answers, reads, study days, scores, review cards and groups, reports, rounds, digests, recaps, squads, settings and its Slack installation. The question bank stays. Exits 1 when there is no such workspace.",
  member:
    "Usage: study-bot member forget <platform>:<workspace>:<user>\n\nFor a member who asks by email: deletes, in one transaction, what /study forget-me deletes (e.g. slack:T0123ABCD:U0456EFGH, discord:<server id>:<user id>, console:local:ana): their answers, reads, 50/50s, study days, scores, review cards, squad memberships, submissions and drafts, and their member row with their name. Their reports stay without their name; rounds and seasons stop naming them; questions of theirs the team approved stay, credited to a former member. Exits 1 when there is no such member. A running bot notices on the member's next click.",
  pack: packHelp,
  content:
    "Usage: study-bot content check\n\nValidates seeds/ without touching the database; exits 1 and names the file, item and rule of every problem.\nA year in a case-study prompt is looked up in the article's Chinese text, read from STUDY_ARTICLE_TEXTS_DIR or else ../shared/data/highscalability-zh beside the project; without it that lookup is skipped, with a note.",
};

/** Info lines (where a migration's snapshot went) for a person at the terminal. */
const printed = { info: (_details: object, message: string) => console.log(message) };

async function main(argv: string[]): Promise<number> {
  // pack has options of its own, parsed strictly by runPackCommand.
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: argv[0] !== "pack",
    options: { help: { type: "boolean", short: "h" } },
  });
  const [command = "run", sub] = positionals;
  if (values.help) {
    // Bare --help lists every command; `run --help` is run's own.
    console.log((positionals.length > 0 && help[command]) || help.main);
    return 0;
  }
  switch (command) {
    case "run":
      await runBot(loadConfig());
      return 0;
    case "migrate": {
      const { databaseUrl } = loadConfig();
      const db = openDatabase(databaseUrl);
      await checkConnection(db, databaseUrl);
      try {
        const applied = await migrateToLatest(db, { log: printed });
        console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "database is up to date");
      } finally {
        await db.destroy();
      }
      return 0;
    }
    case "seed": {
      const { databaseUrl } = loadConfig();
      const db = openDatabase(databaseUrl);
      await checkConnection(db, databaseUrl);
      try {
        await migrateToLatest(db, { log: printed });
        const { counts } = await seedDatabase(db, new Date());
        console.log(
          `content imported: ${counts?.added} added, ${counts?.updated} updated, ${counts?.retired} retired, ${counts?.unchanged} unchanged`,
        );
      } finally {
        await db.destroy();
      }
      return 0;
    }
    case "content": {
      if (sub !== "check") {
        console.error(`unknown: content ${sub ?? ""}\n\n${help.content}`);
        return 2;
      }
      const textsDir = articleTextsDir();
      const articleText = articleTextReader(textsDir);
      const { stats } = readCheckedContent(undefined, { articleText });
      const pct = (n: number) => `${Math.round((100 * n) / Math.max(1, stats.questions))}%`;
      console.log(
        `content ok: ${stats.topics} topics (${stats.leaves} leaves), ${stats.questions} questions, ${stats.articles} articles, ${stats.reading} reading-list entries`,
      );
      console.log(
        `difficulty: 1=${stats.byDifficulty[1]} 2=${stats.byDifficulty[2]} 3=${stats.byDifficulty[3]} (${pct(stats.byDifficulty[3])} hard)`,
      );
      console.log(
        `answer positions: ${Object.entries(stats.byAnswer)
          .sort()
          .map(([k, v]) => `${k}=${v} (${pct(v)})`)
          .join(" ")}`,
      );
      console.log(`case-study questions tied to an article: ${stats.articleQuestions}`);
      console.log(`article notes: ${stats.notes} of ${stats.articles} articles`);
      console.log("answers found by always picking the longest / 2nd / 3rd / shortest choice (at most 30% each):");
      for (const { file, language, shares } of stats.lengthRankShares) {
        console.log(
          `  ${file} ${language}: ${Object.values(shares)
            .map((share) => `${Math.round(100 * share)}%`)
            .join(" / ")}`,
        );
      }
      if (!articleText) {
        console.log(
          `article years: prompt years not looked up in the articles (no article texts at ${textsDir}; set STUDY_ARTICLE_TEXTS_DIR)`,
        );
      } else {
        const missing = stats.articleQuestions - stats.articleYearsChecked;
        console.log(
          `article years: ${stats.articleYearsChecked} questions checked against the article texts in ${textsDir}${missing > 0 ? `, ${missing} not (no text file)` : ""}`,
        );
      }
      return 0;
    }
    case "digest": {
      if (sub !== "run-due") {
        console.error(`unknown: digest ${sub ?? ""}\n\n${help.digest}`);
        return 2;
      }
      const posted = await runDueOnce(loadConfig());
      console.log(`digests posted: ${posted}`);
      return 0;
    }
    case "discord": {
      const config = loadConfig();
      if (sub !== "register") {
        console.error(`unknown: discord ${sub ?? ""}\n\n${help.discord}`);
        return 2;
      }
      if (!config.discord) throw new ConfigError("DISCORD_TOKEN: is required for discord register");
      const { REST } = await import("discord.js");
      const { applicationIdOf, inviteUrl, registerCommands } = await import("./adapters/discord/discord-adapter.ts");
      const rest = new REST(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}).setToken(config.discord.token);
      const applicationId = await applicationIdOf(rest);
      // The invite first: registering in a server the bot is not in yet fails, and the newcomer needs the URL to fix that.
      console.log(`invite the bot: ${inviteUrl(applicationId)}`);
      try {
        console.log(`commands registered: ${await registerCommands(rest, applicationId, config.discord.guildId)}`);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 50001) throw error;
        console.error(
          `discord register: Missing Access (50001) in server ${config.discord.guildId}: add the bot with the invite URL above, then run this again.`,
        );
        return 1;
      }
      return 0;
    }
    case "backup": {
      if (!sub || positionals.length > 2) {
        console.error(`backup: name one file to write\n\n${help.backup}`);
        return 2;
      }
      await backupDatabase(loadConfig().databaseUrl, sub);
      console.log(`backed up to ${sub}`);
      return 0;
    }
    case "workspace": {
      const target = positionals[2];
      if (sub !== "forget" || !target || positionals.length > 3 || !/^(slack|discord|console):.+$/.test(target)) {
        console.error(`workspace: give forget and one workspace as <platform>:<id>\n\n${help.workspace}`);
        return 2;
      }
      const config = loadConfig();
      const db = openDatabase(config.databaseUrl, { synchronous: config.sqliteSynchronous });
      await checkConnection(db, config.databaseUrl);
      try {
        const deleted = await forgetWorkspace(db, target);
        if (!deleted) {
          console.error(`no workspace ${target} in this database`);
          return 1;
        }
        const rows = Object.entries(deleted).filter(([, n]) => n > 0);
        console.log(`forgot ${target}: ${rows.map(([table, n]) => `${n} ${table}`).join(", ")}`);
      } finally {
        await db.destroy();
      }
      return 0;
    }
    case "member": {
      const target = positionals[2];
      if (sub !== "forget" || !target || positionals.length > 3 || !/^(slack|discord|console):[^:]+:.+$/.test(target)) {
        console.error(`member: give forget and one member as <platform>:<workspace>:<user>\n\n${help.member}`);
        return 2;
      }
      const config = loadConfig();
      const db = openDatabase(config.databaseUrl, { synchronous: config.sqliteSynchronous });
      await checkConnection(db, config.databaseUrl);
      try {
        const changed = await forgetMember(db, target);
        if (!changed) {
          console.error(`no member ${target} in this database`);
          return 1;
        }
        const rows = Object.entries(changed).filter(([, n]) => n > 0);
        console.log(`forgot ${target}: ${rows.map(([table, n]) => `${n} ${table}`).join(", ")}`);
      } finally {
        await db.destroy();
      }
      return 0;
    }
    case "pack":
      return runPackCommand(argv.slice(1), () => loadConfig().databaseUrl, {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    default:
      console.error(`unknown command: ${command}\n\n${help.main}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ContentError) {
      console.error(`content check failed: ${error.issues.length} problem(s)`);
      for (const issue of error.issues) console.error(formatIssue(issue));
    } else if (error instanceof ConfigError || error instanceof StartupError) {
      console.error(`study-bot: ${error.message}`);
    } else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`study-bot: ${error.message}\n\n${help.main}`);
      process.exitCode = 2;
      return;
    } else {
      console.error("study-bot: unexpected error", error);
    }
    process.exitCode = 1;
  },
);
