import { createHash } from "node:crypto";
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from "discord.js";
import { type CommandDeclaration, type CommandOption, declarationsOn } from "../../core/commands.ts";
import { commandDeclarations } from "../../features/declarations.ts";

/**
 * `/study` for everyone and `/study-admin` for Manage Server, both derived from the declared commands: admin
 * commands live on their own command so that default_member_permissions can hide them; the bot checks at run time too.
 * A command reached through another's first word (config squad, leaderboard squads) is a choice of that one's option.
 */
export function commandDefinitions(
  declarations: ReadonlyArray<CommandDeclaration<unknown>> = declarationsOn(commandDeclarations, "discord"),
) {
  const study = new SlashCommandBuilder()
    .setName("study")
    .setDescription("Study with your team: daily article, quizzes, streaks, leaderboard")
    .setContexts(InteractionContextType.Guild)
    // Installed with the bot in a server only: a user-installed /study in a server without the bot could not post there.
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  const admin = new SlashCommandBuilder()
    .setName("study-admin")
    .setDescription("Set up study-bot for this server")
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
  for (const declaration of declarations.filter((d) => d.path.length === 1)) {
    const name = declaration.path[0] as string;
    const withOptions = (s: SlashCommandSubcommandBuilder, description: string) => {
      s.setName(name).setDescription(description);
      for (const option of declaration.options) addOption(s, option);
      return s;
    };
    if (declaration.access === "anyone") study.addSubcommand((s) => withOptions(s, declaration.description));
    else admin.addSubcommand((s) => withOptions(s, declaration.changeDescription ?? declaration.description));
    // admin-to-change: reading is everyone's, so /study has it too, without the options that change something.
    if (declaration.access === "admin-to-change") study.addSubcommand((s) => s.setName(name).setDescription(declaration.description));
  }
  const definitions: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [study.toJSON(), admin.toJSON()];
  return definitions;
}

function addOption(subcommand: SlashCommandSubcommandBuilder, option: CommandOption): void {
  const required = option.required ?? false;
  if (option.kind === "member") {
    subcommand.addUserOption((o) => o.setName(option.name).setDescription(option.description).setRequired(required));
    return;
  }
  if (option.kind === "file") {
    subcommand.addAttachmentOption((o) => o.setName(option.name).setDescription(option.description).setRequired(required));
    return;
  }
  subcommand.addStringOption((o) => {
    o.setName(option.name).setDescription(option.description).setRequired(required);
    if (option.kind === "topic") o.setAutocomplete(true);
    if (option.choices) o.addChoices(...option.choices);
    return o;
  });
}

/** A fingerprint of the definitions: start-up re-registers only when it changes. */
export function definitionsHash(definitions = commandDefinitions()): string {
  return createHash("sha256").update(JSON.stringify(definitions)).digest("hex");
}

/** The `/study` text the core understands: the subcommand, then its options' values in declared order (a user as a mention). */
export function commandText(
  subcommand: string,
  options: Array<{ name: string; value: string }>,
  declarations: ReadonlyArray<CommandDeclaration<unknown>> = commandDeclarations,
): string {
  const declaration = declarations.find((d) => d.path.length === 1 && d.path[0] === subcommand);
  const words = (declaration?.options ?? []).flatMap((option) => {
    const value = options.find((o) => o.name === option.name)?.value;
    if (!value) return [];
    return [option.kind === "member" ? `<@${value}>` : value];
  });
  return [subcommand, ...words].join(" ");
}
