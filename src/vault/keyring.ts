// Master keys from the VAULT_MASTER_KEYS worker secret: "1:<base64 32 bytes>,2:<base64 32 bytes>".
// They only ever wrap tenant data keys; the highest version wraps new ones, older ones stay to unwrap
// rows until `rotateMasterKey` has moved them. Parsed and imported once per isolate.
import { Failure } from "../lib/failure";
import { fromBase64 } from "../lib/bytes";
import { log } from "../lib/log";

/** Every vault failure the caller cannot fix by changing the request: a 503, never a stack trace. */
export class VaultError extends Failure {
  constructor(detail: string) {
    super("unavailable", detail);
    this.name = "VaultError";
  }
}

export interface Keyring {
  /** The version that wraps new data keys (the highest one configured). */
  activeVersion: number;
  versions: readonly number[];
  key(version: number): CryptoKey | undefined;
}

const MAX_VERSION = 1_000_000;
const notConfigured = (why: string) => new VaultError(`Vault not configured: VAULT_MASTER_KEYS ${why}`);

async function parse(secret: string): Promise<Keyring> {
  const keys = new Map<number, CryptoKey>();
  const entries = secret
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) throw notConfigured("is empty");
  for (const [i, entry] of entries.entries()) {
    // Messages name the entry by position, never by content: the content is key material.
    const match = /^(\d+):(.+)$/.exec(entry);
    const version = match ? Number(match[1]) : NaN;
    if (!match || !Number.isSafeInteger(version) || version < 1 || version > MAX_VERSION)
      throw notConfigured(`entry ${i + 1} is not "<version>:<base64 key>" with a positive integer version`);
    if (keys.has(version)) throw notConfigured(`lists version ${version} twice`);
    const raw = fromBase64(match[2]!, "padded");
    if (raw?.length !== 32) throw notConfigured(`entry ${i + 1} (version ${version}) is not 32 bytes of base64`);
    keys.set(version, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    raw.fill(0);
  }
  const versions = [...keys.keys()].sort((a, b) => a - b);
  return Object.freeze({ activeVersion: versions.at(-1)!, versions, key: (v: number) => keys.get(v) });
}

// Keyed by the secret's text so a changed secret (or a test's override) is parsed afresh; a bad
// secret's rejection is cached too, so a misconfigured isolate does not re-parse on every request.
const parsed = new Map<string, Promise<Keyring>>();
const MAX_CACHED = 4;

/** The keyring of this environment; throws VaultError (503) when the secret is missing or invalid. */
export function keyring(env: { VAULT_MASTER_KEYS?: string }): Promise<Keyring> {
  const secret = env.VAULT_MASTER_KEYS?.trim();
  if (!secret) return Promise.reject(notConfigured("is not set"));
  let ring = parsed.get(secret);
  if (!ring) {
    if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
    ring = parse(secret);
    ring.catch((err: unknown) => log.error("vault keyring rejected", { error: String(err) }));
    parsed.set(secret, ring);
  }
  return ring;
}
