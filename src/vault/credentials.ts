// A connection's credentials, sealed with its tenant's data key. The AAD names the tenant and the
// connection, so a ciphertext copied onto another tenant's or another connection's row does not open.
import type { Bindings } from "../env";
import { concatBytes, fromBase64, toBase64 } from "../lib/bytes";
import { activeDataKey, dataKey } from "./data-keys";
import { VaultError } from "./keyring";

/** One field a city fills in to connect a vendor; secret fields are encrypted, masked in every response, and never logged. */
export interface CredentialField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  help?: string;
}

const IV_BYTES = 12;

const aad = (tenantId: string, connectionId: string) => new TextEncoder().encode(`${tenantId}:${connectionId}`);

export interface SealedCredentials {
  /** base64(iv | AES-256-GCM ciphertext+tag) */
  ciphertext: string;
  /** The tenant data key version that sealed it. */
  keyVersion: number;
}

export async function sealCredentials(
  env: Bindings,
  tenantId: string,
  connectionId: string,
  credentials: Record<string, string>,
): Promise<SealedCredentials> {
  const { version, key } = await activeDataKey(env, tenantId);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES)); // fresh per seal: never reuse an IV under one key
  const plain = new TextEncoder().encode(JSON.stringify(credentials));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(tenantId, connectionId) }, key, plain);
  plain.fill(0);
  return { ciphertext: toBase64(concatBytes(iv, new Uint8Array(sealed))), keyVersion: version };
}

export interface SealedRow {
  id: string;
  tenantId: string;
  credentialsCiphertext: string;
  keyVersion: number;
}

/** The plaintext credentials of a row; VaultError (503) if the row does not open, never a partial result. */
export async function openCredentials(env: Bindings, row: SealedRow): Promise<Record<string, string>> {
  const key = await dataKey(env, row.tenantId, row.keyVersion);
  const bytes = fromBase64(row.credentialsCiphertext, "padded");
  let plain: ArrayBuffer;
  try {
    if (!bytes || bytes.length <= IV_BYTES) throw new Error("malformed");
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: aad(row.tenantId, row.id) },
      key,
      bytes.subarray(IV_BYTES),
    );
  } catch {
    throw new VaultError(`The credentials of connection ${row.id} do not decrypt`);
  }
  return JSON.parse(new TextDecoder().decode(plain)) as Record<string, string>;
}

const HIDDEN = "••••";
const MIN_MASKABLE = 12; // shorter secrets would give away too much of themselves in 4 characters
const MIN_HIDDEN = 8;

/**
 * "sk_live_51Habc…a1b2" -> "sk_…a1b2": a short vendor prefix (up to the first "_" or "-", at most 4
 * characters) and the last 4 characters; at most 8 characters of the secret are ever shown, and at
 * least 8 stay hidden.
 */
export function maskSecret(value: string): string {
  const chars = [...value]; // by code point, so a mask never splits a surrogate pair
  if (chars.length < MIN_MASKABLE) return HIDDEN;
  const tail = chars.slice(-4).join("");
  const prefix = /^[^_-]{1,3}[_-]/.exec(value)?.[0] ?? "";
  return prefix && chars.length - prefix.length - 4 >= MIN_HIDDEN ? `${prefix}…${tail}` : `…${tail}`;
}

/** What responses show: secret fields masked, non-secret ones (an account SID, a sender number) as given. */
export function maskCredentials(fields: readonly CredentialField[], credentials: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(credentials)) {
    const field = fields.find((f) => f.name === name);
    out[name] = field && !field.secret ? value : maskSecret(value); // unknown fields are treated as secret
  }
  return out;
}
