import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { StartupError } from "./database.ts";

/** STUDY_SECRETS_KEY, and during a rotation STUDY_SECRETS_KEY_PREVIOUS: 32 bytes each. */
export interface SecretKeys {
  key: Buffer;
  previous?: Buffer;
}

/** A stored secret that cannot be read with the keys given: the operator must set the right key. */
export class SecretsError extends StartupError {}

const prefix = "aes-256-gcm:";
const ivBytes = 12;
const tagBytes = 16;

export const isEncrypted = (stored: string) => stored.startsWith(prefix);

/**
 * AES-256-GCM with a fresh random nonce: `prefix` + base64(nonce, tag, ciphertext). `context` (the row's key) is
 * authenticated too, so a value copied into another row does not decrypt there.
 */
export function encryptSecret(plain: string, key: Buffer, context: string): string {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
}

/**
 * The plain text of an encrypted value, tried with the key and then the previous key; `previous` says the second one
 * opened it (the value is due to be re-encrypted). Throws a SecretsError when neither does: GCM's tag check fails on
 * a wrong key, so the result is never garbage.
 */
export function decryptSecret(stored: string, keys: SecretKeys, context: string): { plain: string; previous: boolean } {
  const data = Buffer.from(stored.slice(prefix.length), "base64");
  const plain = openWith(data, keys.key, context);
  if (plain !== undefined) return { plain, previous: false };
  const old = keys.previous && openWith(data, keys.previous, context);
  if (old !== undefined) return { plain: old, previous: true };
  throw new SecretsError(
    `${context}: cannot decrypt it with STUDY_SECRETS_KEY${keys.previous ? " or STUDY_SECRETS_KEY_PREVIOUS" : ""}: it was encrypted with another key (or altered); set STUDY_SECRETS_KEY to the key it was written with, or during a rotation STUDY_SECRETS_KEY_PREVIOUS to the old one`,
  );
}

function openWith(data: Buffer, key: Buffer, context: string): string | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, ivBytes));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(data.subarray(ivBytes, ivBytes + tagBytes));
    return Buffer.concat([decipher.update(data.subarray(ivBytes + tagBytes)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}
