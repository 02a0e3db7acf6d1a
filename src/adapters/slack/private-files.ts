import { WebAPIPlatformError, type WebClient } from "@slack/web-api";
import type { OutFile } from "../../core/message.ts";

/**
 * Files for one member alone, which a response_url cannot carry: uploaded into the app's direct messages with them
 * (files.uploadV2 takes a conversation id, not a user id: conversations.open gives it). Returns Slack's error code
 * when Slack refused (missing_scope: an install from a manifest without im:write).
 */
export async function sendPrivateFiles(web: WebClient, token: string, userId: string, files: OutFile[]): Promise<string | undefined> {
  try {
    const opened = await web.conversations.open({ token, users: userId });
    await web.files.uploadV2({
      token,
      channel_id: opened.channel?.id as string,
      file_uploads: files.map((file) => ({ file: file.content, filename: file.name, title: file.name })),
    });
    return undefined;
  } catch (error) {
    if (!(error instanceof WebAPIPlatformError)) throw error;
    return error.data.error;
  }
}
