// AIMS Enforcement. The Stamford guide (docs/sources.md) gives the citation body (`POST …/citations`, fine
// in dollars), the base URL
// (https://api.aims-enforcement.com/v1) and the auth type: OAuth 2 with a client id and secret. The rest
// is Curbgate's documented completion (docs/integrations.md, "AIMS"): the client-credentials token
// endpoint `POST /v1/oauth/token` (client authenticated with HTTP Basic or form fields, RFC 6749 §2.3.1;
// tokens live an hour), `GET /v1/account`, `GET /v1/citations/{citationNumber}`, `Idempotency-Key`
// on writes, `409 CITATION_EXISTS` for a citation number already on file, errors as
// `{ error: { code, message, details? } }` (the token endpoint answers RFC 6749's `{ error, error_description }`).
import { accountLabel, basicAuth, isDollars, json, objectId, schemeToken } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";
import { citationIdentityProblems, codedError } from "../vendor-api";

interface Citation {
  id: string;
  citationNumber: string;
  licensePlate: string;
  state: string;
  violation: { code: string; description: string; fineAmount: number };
  location: Record<string, unknown>;
  officer: Record<string, unknown>;
  timestamp: string;
  evidenceCount: number;
  status: "ISSUED";
  receivedAt: string;
}

const CLIENT_ID = /^[A-Za-z0-9_-]*aims[A-Za-z0-9_-]*$/;
const CLIENT_SECRET = /^[A-Za-z0-9_]{12,}$/;
const TOKEN_PATH = "/v1/oauth/token";
const TOKEN_SECONDS = 3600;
const tokens = new Map<string, { account: Account; clientId: string; expiresAt: number }>();
const citations = new Map<string, Map<string, Citation>>();
const storeOf = (a: Account) => citations.get(a.id) ?? citations.set(a.id, new Map()).get(a.id)!;

const error = codedError;
const oauthError = (status: number, code: string, description: string) => json({ error: code, error_description: description }, status, { "cache-control": "no-store" });

/** The client's id and secret from Basic auth or the form body (client_secret_basic / client_secret_post). */
function clientOf(r: SimRequest): { id: string; secret: string } | null {
  const basic = basicAuth(r.req);
  if (basic) return { id: decodeURIComponent(basic.user), secret: decodeURIComponent(basic.password) };
  const { client_id: id, client_secret: secret } = r.fields;
  return typeof id === "string" && typeof secret === "string" ? { id, secret } : null;
}

function issueToken(r: SimRequest, a: Account) {
  if (r.fields.grant_type !== "client_credentials") return oauthError(400, "unsupported_grant_type", "Only client_credentials is supported");
  const token = objectId("aims_at_", 32);
  tokens.set(token, { account: a, clientId: clientOf(r)!.id, expiresAt: Date.now() + TOKEN_SECONDS * 1000 });
  return json({ access_token: token, token_type: "Bearer", expires_in: TOKEN_SECONDS, scope: "citations:write lookups:read" }, 200, { "cache-control": "no-store" });
}

function problemsOf(c: Record<string, unknown>) {
  const out: { field: string; message: string }[] = [];
  const bad = (field: string, message: string) => out.push({ field, message });
  const violation = (c.violation ?? {}) as Record<string, unknown>;
  citationIdentityProblems(c, bad);
  if (typeof violation.code !== "string" || !violation.code) bad("violation.code", "required");
  if (!isDollars(violation.fineAmount)) bad("violation.fineAmount", "dollars with at most two decimals");
  if (typeof c.timestamp !== "string" || !Number.isFinite(Date.parse(c.timestamp))) bad("timestamp", "ISO 8601 instant");
  if (!c.location || typeof (c.location as Record<string, unknown>).zoneNumber !== "string") bad("location.zoneNumber", "required");
  return out;
}

function createCitation(r: SimRequest, a: Account) {
  const c = r.fields;
  const details = problemsOf(c);
  if (details.length) return error(422, "The citation is invalid", "VALIDATION_FAILED", details);
  const store = storeOf(a);
  const existing = store.get(c.citationNumber as string);
  if (existing) return json({ error: { code: "CITATION_EXISTS", message: `Citation ${existing.citationNumber} is already on file`, id: existing.id } }, 409);
  const v = c.violation as Citation["violation"];
  const citation: Citation = {
    id: objectId("cit_"), citationNumber: c.citationNumber as string, licensePlate: c.licensePlate as string, state: c.state as string,
    violation: { code: v.code, description: typeof v.description === "string" ? v.description : "", fineAmount: v.fineAmount },
    location: c.location as Record<string, unknown>, officer: (c.officer ?? {}) as Record<string, unknown>, timestamp: c.timestamp as string,
    evidenceCount: Array.isArray(c.evidence) ? c.evidence.length : 0, status: "ISSUED", receivedAt: new Date().toISOString(),
  };
  store.set(citation.citationNumber, citation);
  return json(citation, 201);
}

export const aims: SimProvider = {
  name: "aims",
  idempotencyHeader: "idempotency-key",
  authenticate(r) {
    if (r.path === TOKEN_PATH) {
      const client = clientOf(r);
      if (r.method !== "POST" || !client || !CLIENT_ID.test(client.id) || !CLIENT_SECRET.test(client.secret)) return oauthError(401, "invalid_client", "Client authentication failed");
      return { id: accountLabel(`${client.id}:${client.secret}`), live: !client.id.includes("test") };
    }
    const token = schemeToken(r.req, "Bearer");
    const held = token ? tokens.get(token) : undefined;
    if (!held || held.expiresAt <= Date.now()) {
      if (token) tokens.delete(token);
      return json({ error: { code: "INVALID_TOKEN", message: "The access token is missing, expired or revoked" } }, 401, { "www-authenticate": 'Bearer error="invalid_token"' });
    }
    return held.account;
  },
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === `POST ${TOKEN_PATH}`) return issueToken(r, a!);
    if (route === "GET /v1/account") return json({ environment: a!.live ? "production" : "sandbox", citationsOnFile: storeOf(a!).size });
    if (route === "POST /v1/citations") return createCitation(r, a!);
    const one = r.method === "GET" ? r.path.match(/^\/v1\/citations\/([^/]+)$/) : null;
    if (one) {
      const c = storeOf(a!).get(decodeURIComponent(one[1]!));
      return c ? json(c) : error(404, `No citation ${one[1]}`);
    }
    return error(404, `No route ${route}`);
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => {
    citations.clear();
    tokens.clear();
  },
};
