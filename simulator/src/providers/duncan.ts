// Duncan Solutions, collections. The Stamford guide (docs/sources.md) only names Duncan ("citation
// processing and collections"), so
// the whole API is Curbgate's design, documented in docs/integrations.md ("Duncan Solutions"): a city
// places an unpaid citation with Duncan for collection. `Authorization: Bearer <apiKey>`, JSON,
// `Idempotency-Key` on writes, errors as `{ error: { code, message, details? } }`, money in cents.
//   POST /v1/collections/placements        place a citation; 201, or 409 ALREADY_PLACED for a citation number on file
//   GET  /v1/collections/placements/{id}   by placement id or citation number
//   GET  /v1/account                       the account's environment and counts
import { json, objectId } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";
import { bearerKey, citationIdentityProblems, codedError } from "../vendor-api";

interface Placement {
  placementId: string;
  citationNumber: string;
  licensePlate: string;
  state: string;
  issuedAt: string;
  violationCode: string;
  description: string | null;
  zoneNumber: string | null;
  amountDueCents: number;
  currency: string;
  noticesSent: number;
  status: "PLACED";
  balanceCents: number;
  placedAt: string;
}

const KEY = /^duncan_[A-Za-z0-9_]{6,}$/;
const accounts = new Map<string, Map<string, Placement>>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, new Map()).get(a.id)!;

const error = codedError;

function problemsOf(p: Record<string, unknown>) {
  const out: { field: string; message: string }[] = [];
  const bad = (field: string, message: string) => out.push({ field, message });
  citationIdentityProblems(p, bad);
  if (typeof p.issuedAt !== "string" || !Number.isFinite(Date.parse(p.issuedAt))) bad("issuedAt", "ISO 8601 instant");
  if (typeof p.violationCode !== "string" || !p.violationCode) bad("violationCode", "required");
  if (!Number.isSafeInteger(p.amountDueCents) || (p.amountDueCents as number) < 1) bad("amountDueCents", "a positive whole number of cents");
  if (typeof p.currency !== "string" || !/^[A-Z]{3}$/.test(p.currency)) bad("currency", "ISO 4217");
  if (p.noticesSent !== undefined && (!Number.isInteger(p.noticesSent) || (p.noticesSent as number) < 0)) bad("noticesSent", "0 or more");
  return out;
}

function place(r: SimRequest, a: Account) {
  const p = r.fields;
  const details = problemsOf(p);
  if (details.length) return error(422, "The placement is invalid", "VALIDATION_FAILED", details);
  const store = storeOf(a);
  const existing = store.get(p.citationNumber as string);
  if (existing) return json({ error: { code: "ALREADY_PLACED", message: `Citation ${existing.citationNumber} is already placed`, placementId: existing.placementId } }, 409);
  const placement: Placement = {
    placementId: objectId("plc_"), citationNumber: p.citationNumber as string, licensePlate: p.licensePlate as string, state: p.state as string, issuedAt: p.issuedAt as string,
    violationCode: p.violationCode as string, description: typeof p.description === "string" ? p.description : null, zoneNumber: typeof p.zoneNumber === "string" ? p.zoneNumber : null,
    amountDueCents: p.amountDueCents as number, currency: p.currency as string, noticesSent: (p.noticesSent as number | undefined) ?? 0,
    status: "PLACED", balanceCents: p.amountDueCents as number, placedAt: new Date().toISOString(),
  };
  store.set(placement.citationNumber, placement);
  return json(placement, 201);
}

export const duncan: SimProvider = {
  name: "duncan",
  idempotencyHeader: "idempotency-key",
  createdIdOf: (body) => (typeof body.placementId === "string" ? body.placementId : null),
  authenticate: bearerKey(KEY),
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    const store = storeOf(a!);
    if (route === "GET /v1/account") return json({ environment: a!.live ? "production" : "sandbox", placements: store.size });
    if (route === "POST /v1/collections/placements") return place(r, a!);
    const one = r.method === "GET" ? r.path.match(/^\/v1\/collections\/placements\/([^/]+)$/) : null;
    if (one) {
      const id = decodeURIComponent(one[1]!);
      const p = store.get(id) ?? [...store.values()].find((x) => x.placementId === id);
      return p ? json(p) : error(404, `No placement ${id}`, "PLACEMENT_NOT_FOUND");
    }
    return error(404, `No route ${route}`);
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => accounts.clear(),
};
