import { createHash } from "node:crypto";
import { once } from "node:events";
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  REST,
  Routes,
} from "discord.js";
import { strings } from "../../core/i18n.ts";
import type { OutMessage, Reply } from "../../core/message.ts";
import type { ChannelAddress, ChatAdapter, CommandFile, EventSink, MessageRef } from "../../core/ports.ts";
import { type Logger, maxUploadBytes, PermanentDeliveryError } from "../../core/ports.ts";
import { commandDefinitions, commandText, definitionsHash } from "./commands.ts";
import { parseCustomId, toDiscord } from "./embeds.ts";
import { modalOf, quickly } from "./interaction-replies.ts";
import { moveRole } from "./roles.ts";

/** Within this, a click is answered in one call; past it, the reply is deferred and edited in. */

/** Discord error codes after which posting to the channel will not succeed without someone acting. */
const permanentCodes = new Map([
  [10003, "unknown channel (10003)"],
  [50001, "missing access (50001)"],
  [50013, "missing permissions (50013)"],
]);

export interface DiscordAdapterOptions {
  token: string;
  /** REST base, e.g. http://127.0.0.1:PORT/api (discord.js adds /v10); the gateway URL then comes from GET /gateway/bot. */
  apiUrl?: string;
  /** Register the commands in this guild only (instant) instead of globally. */
  guildId?: string;
  /** Where the hash of the registered command definitions is kept, so start-up re-registers only on change. */
  registry: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void> };
  log: Logger;
  language: "en" | "zh";
}

/** A Discord message nonce for a key: at most 25 characters, the same for every retry of the same post. */
export function nonceFor(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 25);
}

/**
 * The permissions the bot asks for in its invite: see the channel, send, embed links (every message is an embed),
 * attach files (the weekly recap's picture), read the history (its own messages, to edit them), and start the daily
 * discussion thread on each digest and post the question and its results in it.
 */
export const botPermissions =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

/** The invite URL: the bot user with botPermissions, and its slash commands. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot%20applications.commands&permissions=${botPermissions}`;
}

/** The bot's application id, through REST alone (no gateway). */
export async function applicationIdOf(rest: REST): Promise<string> {
  return ((await rest.get(Routes.currentApplication())) as { id: string }).id;
}

/**
 * Registers the command definitions through REST alone; returns where they went. In a guild the bot has not been added
 * to, Discord answers 50001 Missing Access: invite it first.
 */
export async function registerCommands(rest: REST, applicationId: string, guildId: string | undefined): Promise<string> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body: commandDefinitions() });
  return guildId ? `guild ${guildId}` : "global";
}

/** allowed_mentions for everything the bot sends: it never means to ping a member, a role, @everyone or @here. */
const noMentions = { parse: [] };

/** Discord over discord.js and its gateway: parse, defer, render, deliver. Everything else is the core's. */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = "discord" as const;
  private client: Client | undefined;
  /** REST needs no gateway: `study-bot digest run-due` posts through this without logging in. */
  private readonly restClient: REST;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.restClient = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  }

  async start(sink: EventSink): Promise<void> {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // Interaction replies included: nothing the bot sends may ping anyone, whatever a name or note contains.
      allowedMentions: noMentions,
      rest: this.options.apiUrl ? { api: this.options.apiUrl } : {},
      // One process runs every shard Discord recommends; past a few thousand guilds, see the README on sharding.
      shards: "auto",
    });
    this.client = client;
    client.on(Events.InteractionCreate, (interaction) => {
      this.onInteraction(sink, interaction).catch(async (error) => {
        this.options.log.error({ err: error, id: interaction.id }, "discord interaction failed");
        // Never leave a member looking at "thinking..." forever.
        if (interaction.isRepliable() && interaction.deferred)
          await interaction.editReply(strings(this.options.language).somethingWrong).catch(() => {});
      });
    });
    client.on(Events.Error, (error) => this.options.log.error({ err: error }, "discord client error"));
    client.on(Events.ShardResume, (shard) => this.options.log.info({ shard }, "discord gateway resumed"));
    const ready = once(client, Events.ClientReady);
    await client.login(this.options.token);
    await ready;
    await this.registerIfChanged();
    this.options.log.info(
      { invite: client.application ? inviteUrl(client.application.id) : undefined },
      "discord connected; invite the bot with this URL",
    );
  }

  async stop(): Promise<void> {
    await this.client?.destroy();
  }

  async post(address: ChannelAddress, message: OutMessage, options?: { key?: string }): Promise<MessageRef> {
    try {
      const created = (await this.rest().post(Routes.channelMessages(address.threadId ?? address.channelId), {
        // The nonce makes Discord drop a second send of the same digest within its nonce window; the database claim is what really guards.
        body: {
          ...toDiscord(message),
          allowed_mentions: noMentions,
          ...(options?.key ? { nonce: nonceFor(options.key), enforce_nonce: true } : {}),
          // The picture's alt text, which screen readers read out: Discord takes at most 1024 characters.
          ...(message.image
            ? { attachments: [{ id: 0, filename: message.image.name, description: message.image.alt.slice(0, 1024) }] }
            : {}),
        },
        files: message.image ? [{ name: message.image.name, data: message.image.png, contentType: "image/png" }] : undefined,
      })) as { id: string };
      return created.id;
    } catch (error) {
      throw asDeliveryError(error);
    }
  }

  /**
   * A public thread started from the message, archived after a day of quiet. A thread started from a message has the
   * message's id, so one the message already has (Discord: 160004) is that id: opening again opens no second thread.
   */
  async openThread(address: ChannelAddress, rootRef: MessageRef, name: string): Promise<string> {
    try {
      const thread = (await this.rest().post(Routes.threads(address.channelId, rootRef), {
        body: { name: name.slice(0, 100), auto_archive_duration: 1440 },
      })) as { id: string };
      return thread.id;
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === 160004) return rootRef;
      throw asDeliveryError(error);
    }
  }

  /** A direct message (Discord has no private message in a channel outside an interaction). */
  async tell(_address: ChannelAddress, userId: string, message: OutMessage): Promise<void> {
    const channel = (await this.rest().post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    await this.rest().post(Routes.channelMessages(channel.id), { body: { ...toDiscord(message), allowed_mentions: noMentions } });
  }

  /**
   * The member owns the server and no role grants Manage Server (or Administrator): without the privileged members
   * intent the bot cannot see who holds a role, so a role that could make another admin counts as one.
   */
  async soleAdmin(workspaceId: string, userId: string): Promise<boolean> {
    const guild = this.client?.guilds.cache.get(workspaceId);
    if (!guild || guild.ownerId !== userId) return false;
    return !guild.roles.cache.some((role) => role.permissions.has(PermissionFlagsBits.ManageGuild));
  }

  /** Moves a role (the champion role) through REST alone, so that `study-bot digest run-due` can too (see roles.ts). */
  moveRole(workspaceId: string, roleId: string, from: string | undefined, to: string | undefined): Promise<void> {
    return moveRole(this.rest(), workspaceId, roleId, from, to);
  }

  async update(address: ChannelAddress, ref: MessageRef, message: OutMessage): Promise<void> {
    // The bot's own message edit, not the interaction webhook: interaction tokens expire after 15 minutes.
    await this.rest().patch(Routes.channelMessage(address.threadId ?? address.channelId, ref), {
      body: { ...toDiscord(message), allowed_mentions: noMentions },
    });
  }

  private async registerIfChanged(): Promise<void> {
    const key = `discord_commands:${this.options.guildId ?? "global"}`;
    const hash = definitionsHash();
    if ((await this.options.registry.get(key)) === hash) return;
    const rest = this.rest();
    const where = await registerCommands(rest, await applicationIdOf(rest), this.options.guildId);
    await this.options.registry.set(key, hash);
    this.options.log.info({ where }, "discord commands registered");
  }

  private async onInteraction(sink: EventSink, interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      const focused = interaction.options.getFocused();
      const topics = await sink.suggestTopics(String(focused), this.options.language, {
        platform: "discord",
        workspaceId: interaction.guildId ?? "dm",
      });
      await interaction.respond(topics.map((t) => ({ name: t.name.slice(0, 100), value: t.id })));
      return;
    }
    if (interaction.isChatInputCommand()) return this.onCommand(sink, interaction);
    if (interaction.isButton()) return this.onButton(sink, interaction);
    if (interaction.isModalSubmit()) return this.onFormSubmit(sink, interaction);
  }

  private async onCommand(sink: EventSink, interaction: ChatInputCommandInteraction): Promise<void> {
    if (!interaction.guildId) {
      await interaction.reply({ content: strings(this.options.language).useInServer, flags: MessageFlags.Ephemeral });
      return;
    }
    const subcommand = interaction.options.getSubcommand();
    const given = interaction.options.data[0]?.options ?? [];
    // An attachment option's word is the file's name; its bytes go with the command.
    const options = given.map((o) => ({ name: o.name, value: o.attachment ? o.attachment.name : String(o.value ?? "") }));
    const attached = given.find((o) => o.attachment)?.attachment;
    let file: CommandFile | undefined;
    if (attached) {
      // Downloading may take longer than Discord's 3 seconds: defer first (a command with a file never asks for a form).
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const t = strings(this.options.language);
      if (attached.size > maxUploadBytes) {
        await interaction.editReply(t.fileTooLarge(attached.size, maxUploadBytes));
        return;
      }
      const response = await fetch(attached.url).catch(() => undefined);
      if (!response?.ok) {
        await interaction.editReply(t.fileUnreadable(attached.name));
        return;
      }
      file = { name: attached.name, bytes: new Uint8Array(await response.arrayBuffer()) };
    }
    const address: ChannelAddress = { platform: "discord", workspaceId: interaction.guildId, channelId: interaction.channelId };
    const work = sink.command({
      address,
      workspaceName: interaction.guild?.name,
      actor: this.actor(interaction),
      text: commandText(subcommand, options),
      file,
      raw: interaction,
    });
    await this.respond(address, interaction, work);
  }

  private async onButton(sink: EventSink, interaction: ButtonInteraction): Promise<void> {
    const { action, value } = parseCustomId(interaction.customId);
    const address: ChannelAddress = { platform: "discord", workspaceId: interaction.guildId ?? "", channelId: interaction.channelId };
    const work = sink.click({
      address,
      actor: this.actor(interaction),
      action,
      value,
      messageRef: interaction.message.id,
      raw: interaction,
    });
    await this.respond(address, interaction, work);
  }

  /**
   * One call when the core answers quickly (a reply, or a modal, which must be the first answer); a deferral when it does
   * not, or when the interaction was deferred already (a command that downloaded a file).
   */
  private async respond(address: ChannelAddress, interaction: ChatInputCommandInteraction | ButtonInteraction, work: Promise<Reply[]>) {
    const quick = interaction.deferred ? undefined : await quickly(work);
    const form = quick?.find((r) => r.form)?.form;
    if (form) {
      await interaction.showModal(modalOf(form));
      return;
    }
    if (!quick && !interaction.deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await this.deliver(address, quick ?? (await work), interaction);
  }

  private async onFormSubmit(sink: EventSink, interaction: ModalSubmitInteraction): Promise<void> {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { value } = parseCustomId(interaction.customId);
    const { action, value: formValue } = parseCustomId(value);
    const address: ChannelAddress = { platform: "discord", workspaceId: interaction.guildId ?? "", channelId: interaction.channelId ?? "" };
    const replies = await sink.click({
      address,
      actor: this.actor(interaction),
      action,
      value: formValue,
      inputs: Object.fromEntries(
        interaction.fields.fields.map((field) => [field.customId, "value" in field ? String(field.value ?? "") : ""]),
      ),
      raw: interaction,
    });
    await this.deliver(address, replies, interaction);
  }

  private actor(interaction: ButtonInteraction | ModalSubmitInteraction | ChatInputCommandInteraction) {
    // Discord sends the member's role ids with every interaction: squads need no privileged members intent.
    const roles = interaction.member?.roles;
    return {
      userId: interaction.user.id,
      displayName: interaction.user.globalName ?? interaction.user.username,
      isAdmin: async () => interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
      groups:
        roles === undefined
          ? undefined
          : Array.isArray(roles)
            ? [...roles]
            : [...roles.cache.keys()].filter((id) => id !== interaction.guildId),
    };
  }

  /**
   * Public replies are channel messages; the private reply answers the interaction (editing the deferred answer, or as
   * its first answer). With no private reply, a deferred answer is deleted and a click's message left as it was.
   */
  private async deliver(
    address: ChannelAddress,
    replies: Reply[],
    interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
  ): Promise<void> {
    const answer = async (payload: InteractionEditReplyOptions) => {
      if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
      else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral } as InteractionReplyOptions);
    };
    const privateReply = replies.find((r) => r.visibility === "private");
    for (const reply of replies) {
      if (reply.visibility !== "public") continue;
      try {
        await this.post(address, reply.message);
      } catch (error) {
        reply.onPostFailed?.();
        if (!(error instanceof PermanentDeliveryError)) throw error;
        await answer({
          content: `I cannot post in this channel (${error.message}): give me View Channel, Send Messages and Embed Links here.`,
        });
        return;
      }
    }
    if (privateReply) await answer({ ...toDiscord(privateReply.message), files: attachments(privateReply.message) });
    else if (interaction.deferred) await interaction.deleteReply();
    else if (interaction.isButton()) await interaction.deferUpdate();
    else {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.deleteReply();
    }
  }

  private rest(): REST {
    return this.restClient;
  }
}

function attachments(message: OutMessage) {
  return [
    ...(message.image ? [{ attachment: message.image.png, name: message.image.name, description: message.image.alt.slice(0, 1024) }] : []),
    ...(message.files ?? []).map((file) => ({ attachment: file.content, name: file.name })),
  ];
}

function asDeliveryError(error: unknown): Error {
  if (error instanceof DiscordAPIError && typeof error.code === "number" && permanentCodes.has(error.code)) {
    return new PermanentDeliveryError(permanentCodes.get(error.code) as string);
  }
  return error as Error;
}
