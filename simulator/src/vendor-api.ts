// What the parking vendors' APIs share where the Stamford guide (docs/sources.md) left the wire format to
// Curbgate (IPS, Teller,
// AIMS, Parkeon, GTCS, Duncan; docs/integrations.md): errors as `{ error: { code, message, details? } }`,
// a bearer API key whose `_test_` or `_sandbox_` marks a sandbox account, and the citation identity
// fields (number, plate, state) that enforcement and collections vendors check alike.
import { accountLabel, json, schemeToken } from "./http";
import type { Account, SimRequest } from "./types";

export function codedError(status: number, message: string, code?: string, details?: unknown[]) {
  const fallback = status === 401 ? "UNAUTHORIZED" : status === 404 ? "NOT_FOUND" : status === 429 ? "RATE_LIMITED" : status >= 500 ? "SERVER_ERROR" : "BAD_REQUEST";
  return json({ error: { code: code ?? fallback, message, ...(details ? { details } : {}) } }, status);
}

/** An `authenticate` for `Authorization: Bearer <key>` with keys matching `pattern`. */
export const bearerKey =
  (pattern: RegExp) =>
  (r: SimRequest): Account | Response => {
    const key = schemeToken(r.req, "Bearer");
    if (!key || !pattern.test(key)) return codedError(401, "Missing or invalid API key; send Authorization: Bearer <key>");
    return { id: accountLabel(key), live: !/_(test|sandbox)_/.test(key) };
  };

export type Problem = { field: string; message: string };

/** Problems with a citation's number, plate (normalised) and state, added through `bad`. */
export function citationIdentityProblems(c: Record<string, unknown>, bad: (field: string, message: string) => void) {
  if (typeof c.citationNumber !== "string" || !/^[A-Z0-9-]{4,40}$/.test(c.citationNumber)) bad("citationNumber", "4-40 upper-case letters, digits or dashes");
  if (typeof c.licensePlate !== "string" || !/^[A-Z0-9]{1,20}$/.test(c.licensePlate)) bad("licensePlate", "1-20 upper-case letters or digits");
  if (typeof c.state !== "string" || !/^[A-Z]{2,3}$/.test(c.state)) bad("state", "two or three letters");
}
