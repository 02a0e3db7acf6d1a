import { createHash } from "node:crypto";
import {
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from "discord.js";

const configKeys = ["timezone", "language", "study-days", "quiz-duration", "team-quorum", "squad", "reports", "resolve"];

/**
 * `/study` for everyone and `/study-admin` for Manage Server: admin subcommands live on their own command
 * so that default_member_permissions can hide them; the bot checks the permission at run time as well.
 */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const study = new SlashCommandBuilder()
    .setName("study")
    .setDescription("Study with your team: daily article, quizzes, streaks, leaderboard")
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName("help").setDescription("What the bot does and every command"))
    .addSubcommand((s) => s.setName("digest").setDescription("Today's article for this channel"))
    .addSubcommand((s) =>
      s
        .setName("quiz")
        .setDescription("Open a quiz round in this channel")
        .addStringOption((o) => o.setName("topic").setDescription("A topic id or name (random if empty)").setAutocomplete(true)),
    )
    .addSubcommand((s) =>
      s
        .setName("streak")
        .setDescription("Your streak (or a member's), freezes held, and the team streak")
        .addUserOption((o) => o.setName("member").setDescription("Whose streak")),
    )
    .addSubcommand((s) =>
      s
        .setName("leaderboard")
        .setDescription("The team leaderboard")
        .addStringOption((o) =>
          o
            .setName("window")
            .setDescription("Which period (default: this week)")
            .addChoices(
              { name: "this week", value: "week" },
              { name: "this month", value: "month" },
              { name: "all time", value: "all" },
              { name: "squads", value: "squads" },
            ),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("topics")
        .setDescription("The roadmap tree with question counts and the team's accuracy")
        .addStringOption((o) => o.setName("topic").setDescription("Expand one branch").setAutocomplete(true)),
    )
    .addSubcommand((s) => s.setName("config").setDescription("Show this server's study settings"));

  const admin = new SlashCommandBuilder()
    .setName("study-admin")
    .setDescription("Set up study-bot for this server")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName("subscribe")
        .setDescription("Post the daily article in this channel")
        .addStringOption((o) => o.setName("time").setDescription("HH:MM local time (default 09:00)")),
    )
    .addSubcommand((s) => s.setName("unsubscribe").setDescription("Stop the daily article in this channel"))
    .addSubcommand((s) =>
      s
        .setName("config")
        .setDescription("Change a setting")
        .addStringOption((o) =>
          o
            .setName("key")
            .setDescription("Which setting")
            .setRequired(true)
            .addChoices(...configKeys.map((k) => ({ name: k, value: k }))),
        )
        .addStringOption((o) =>
          o.setName("value").setDescription("New value, e.g. Asia/Shanghai, zh, mon-fri, 10m, 3, or a squad's name and role"),
        ),
    );
  return [study.toJSON(), admin.toJSON()];
}

/** A fingerprint of the definitions: start-up re-registers only when it changes. */
export function definitionsHash(definitions = commandDefinitions()): string {
  return createHash("sha256").update(JSON.stringify(definitions)).digest("hex");
}

/** The `/study` text the core understands, from a slash command's subcommand and options. */
export function commandText(subcommand: string, options: Array<{ name: string; value: string }>): string {
  const value = (name: string) => options.find((o) => o.name === name)?.value;
  switch (subcommand) {
    case "quiz":
    case "topics":
      return [subcommand, value("topic")].filter(Boolean).join(" ");
    case "streak":
      return value("member") ? `streak <@${value("member")}>` : "streak";
    case "leaderboard":
      return `leaderboard ${value("window") ?? "week"}`;
    case "subscribe":
      return [subcommand, value("time")].filter(Boolean).join(" ");
    case "config":
      return value("key") ? `config ${value("key")} ${value("value") ?? ""}`.trimEnd() : "config";
    default:
      return subcommand;
  }
}
