// A small JSON value sealed with the tenant's data key, for secrets a record must keep beside it that are
// not a connection's credentials (a payment's client secret). The AAD names the tenant, what the value
// is and the record's id, so a ciphertext copied onto another row, tenant or kind does not open.
import type { Bindings } from "../env";
import { concatBytes, fromBase64, toBase64 } from "../lib/bytes";
import { activeDataKey, dataKey } from "./data-keys";
import { VaultError } from "./keyring";

const IV_BYTES = 12;
const aad = (tenantId: string, kind: string, id: string) => new TextEncoder().encode(`${kind}:${tenantId}:${id}`);

export async function sealRecord(
  env: Bindings,
  tenantId: string,
  kind: string,
  id: string,
  value: Record<string, string>,
): Promise<{ ciphertext: string; keyVersion: number }> {
  const { version, key } = await activeDataKey(env, tenantId);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plain = new TextEncoder().encode(JSON.stringify(value));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(tenantId, kind, id) }, key, plain);
  plain.fill(0);
  return { ciphertext: toBase64(concatBytes(iv, new Uint8Array(sealed))), keyVersion: version };
}

export async function openRecord(
  env: Bindings,
  tenantId: string,
  kind: string,
  id: string,
  sealed: { ciphertext: string; keyVersion: number },
): Promise<Record<string, string>> {
  const key = await dataKey(env, tenantId, sealed.keyVersion);
  const bytes = fromBase64(sealed.ciphertext, "padded");
  try {
    if (!bytes || bytes.length <= IV_BYTES) throw new Error("malformed");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, IV_BYTES), additionalData: aad(tenantId, kind, id) },
      key,
      bytes.subarray(IV_BYTES),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as Record<string, string>;
  } catch {
    throw new VaultError(`The sealed ${kind} ${id} does not decrypt`);
  }
}
