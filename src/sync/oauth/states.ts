// OAuth authorisations in flight (the oauth_states table). The row is keyed by the SHA-256 of the
// state, so D1 never holds a live state; the PKCE verifier is sealed by the tenant's vault key. A
// state lives 10 minutes and is consumed by one atomic UPDATE, so it works once.
import { sha256Hex } from "../../lib/crypto";
import type { Bindings } from "../../env";
import { Failure } from "../../lib/failure";
import { db } from "../../storage/db";
import { deleteStatesBefore, findState, insertState, type OAuthStateRow, takeState } from "../../storage/oauth-states";
import { openCredentials, sealCredentials } from "../../vault/credentials";
import { randomUrlToken, s256Challenge } from "./pkce";

export const STATE_TTL_MS = 10 * 60_000;
const KEEP_MS = 24 * 3_600_000; // spent and expired states are swept after a day

export type StateRow = OAuthStateRow;

// The vault's AAD names the state, so a sealed verifier opens only for its own row.
const sealId = (stateHash: string) => `oauth_state:${stateHash}`;

export async function createState(
  env: Bindings,
  s: { tenantId: string; userId: string; provider: string; redirectUri: string; pkce: boolean },
  nowMs = Date.now(),
) {
  const state = randomUrlToken(32);
  const key = await sha256Hex(state);
  let codeVerifier: string | null = null;
  let codeChallenge: string | null = null;
  if (s.pkce) {
    const verifier = randomUrlToken(32);
    codeChallenge = await s256Challenge(verifier);
    const sealed = await sealCredentials(env, s.tenantId, sealId(key), { codeVerifier: verifier });
    codeVerifier = `${sealed.keyVersion}:${sealed.ciphertext}`;
  }
  const database = db(env.DB);
  await deleteStatesBefore(database, s.tenantId, nowMs - KEEP_MS);
  await insertState(database, {
    state: key,
    tenantId: s.tenantId,
    userId: s.userId,
    provider: s.provider,
    codeVerifier,
    redirectUri: s.redirectUri,
    createdAt: nowMs,
  });
  return { state, codeChallenge, expiresAt: nowMs + STATE_TTL_MS };
}

const refused = (detail: string) => new Failure("malformed", detail);

/** The state's row if it may still be used for `provider`; a 400 saying why not otherwise. Does not consume it. */
export async function usableState(env: Bindings, state: string, provider: string, nowMs = Date.now()): Promise<StateRow> {
  const row = await findState(db(env.DB), await sha256Hex(state));
  if (!row) throw refused("Unknown OAuth state: start the authorisation again");
  if (row.provider !== provider) throw refused("This OAuth state was issued for another provider");
  if (row.usedAt !== null) throw refused("This OAuth state has already been used: start the authorisation again");
  if (row.createdAt <= nowMs - STATE_TTL_MS)
    throw refused("This OAuth state has expired (they last 10 minutes): start the authorisation again");
  return row;
}

/** Marks the state used, once: of two callbacks racing with one state, exactly one gets the row. Returns the PKCE verifier. */
export async function consumeState(env: Bindings, row: StateRow, nowMs = Date.now()): Promise<{ codeVerifier: string | null }> {
  if (!(await takeState(db(env.DB), row.tenantId, row.state, nowMs - STATE_TTL_MS, nowMs)))
    throw refused("This OAuth state has already been used: start the authorisation again");
  if (!row.codeVerifier) return { codeVerifier: null };
  const colon = row.codeVerifier.indexOf(":");
  const opened = await openCredentials(env, {
    id: sealId(row.state),
    tenantId: row.tenantId,
    keyVersion: Number(row.codeVerifier.slice(0, colon)),
    credentialsCiphertext: row.codeVerifier.slice(colon + 1),
  });
  return { codeVerifier: opened.codeVerifier ?? null };
}
