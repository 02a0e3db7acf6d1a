import { PermanentDeliveryError } from "../../core/ports.ts";

/** Slack error codes after which posting to the channel will not succeed without someone acting. */
export const permanentErrors = new Set([
  "channel_not_found",
  "is_archived",
  "account_inactive",
  "not_in_channel",
  "invalid_auth",
  "token_revoked",
  "missing_scope",
]);
/** chat.update error codes after which the edit will never land: the message is gone or not the bot's, too old, or its channel archived or frozen. */
export const permanentEditErrors = new Set([
  ...permanentErrors,
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "is_inactive",
]);

/** A Web API error whose code is in `permanent`, as a PermanentDeliveryError; anything else as it came. */
export function asDeliveryError(error: unknown, permanent: ReadonlySet<string>): Error {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code && permanent.has(code)) return new PermanentDeliveryError(code);
  return error as Error;
}
