type Json = Record<string, unknown>;

const invalid = (message: string): Json => ({ ok: false, error: "invalid_arguments", response_metadata: { messages: [message] } });

/**
 * Direct messages and file uploads of the fake Slack, with the arguments Slack's method reference documents:
 * conversations.open takes `users` (a direct message needs im:write, which the fake's scope table checks) and answers
 * with the conversation; files.getUploadURLExternal needs `filename` and `length`; files.completeUploadExternal needs
 * `files`, and its channel_id must be a conversation id (C, G, D or Z, never a user id: Slack answers
 * invalid_arguments), of a direct message the app opened. Slack's ids have 8 or more characters after the letter; the
 * fake's tests use shorter ones (C1), so only the letter is checked.
 */
export class FakeSlackFiles {
  /** Direct-message channels the app opened: channel id -> the user. */
  readonly directMessages = new Map<string, string>();

  constructor(private readonly knownUser: (id: string) => boolean) {}

  open(p: Json): Json {
    const users = typeof p.users === "string" ? p.users.split(",").filter(Boolean) : [];
    if (users.length === 0 && !p.channel) return invalid("[ERROR] must provide either channel or users");
    if (users.length !== 1) return { ok: false, error: "not_implemented_in_fake", detail: "one user per direct message" };
    const user = users[0] as string;
    if (!this.knownUser(user)) return { ok: false, error: "user_not_found" };
    const id = `D${user}`;
    this.directMessages.set(id, user);
    return { ok: true, channel: { id, is_im: true, user } };
  }

  /** What files.getUploadURLExternal answers when an argument is missing; undefined when it takes the call. */
  uploadUrlRefusal(p: Json): Json | undefined {
    if (!p.filename) return invalid("[ERROR] missing required field: filename");
    if (!/^\d+$/.test(String(p.length ?? ""))) return invalid("[ERROR] missing required field: length");
    return undefined;
  }

  /** What files.completeUploadExternal answers for arguments Slack refuses; undefined when it takes the call. */
  completeRefusal(p: Json): Json | undefined {
    if (!p.files) return invalid("[ERROR] missing required field: files");
    if (p.channel_id === undefined) return undefined;
    const channel = String(p.channel_id);
    if (!/^[CGDZ][A-Z0-9]+$/.test(channel))
      return invalid("input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]");
    if (channel.startsWith("D") && !this.directMessages.has(channel)) return { ok: false, error: "channel_not_found" };
    return undefined;
  }
}
