// DocuSign eSignature REST API v2.1, as DocuSign documents it: access tokens from the JWT grant at
// /oauth/token (an RS256 assertion by the integration key, checked against the public key registered
// for it; none registered answers consent_required, as before an admin consents), bearer tokens on
// /restapi/v2.1/accounts/{accountId}/…, errors as { errorCode, message }, no idempotency key. Only
// what the connector uses: the account, sending an envelope, envelope status.
import { json } from "../http";
import { OAuthServer } from "../oauth";
import type { Account, SimProvider, SimRequest } from "../types";

interface Envelope { envelopeId: string; status: string; emailSubject: string; sentDateTime: string; statusChangedDateTime: string; uri: string }

const envelopes = new Map<string, Envelope[]>();
const ofAccount = (a: Account, id: string) => {
  const key = `${a.id}:${id}`;
  return envelopes.get(key) ?? envelopes.set(key, []).get(key)!;
};

const CODES: Record<number, string> = { 400: "INVALID_REQUEST_PARAMETER", 401: "USER_AUTHENTICATION_FAILED", 404: "ENVELOPE_DOES_NOT_EXIST", 429: "HOURLY_APIINVOCATION_LIMIT_EXCEEDED" };
function error(status: number, message: string, code?: string) {
  return json({ errorCode: code && !/^\d+$/.test(code) ? code : (CODES[status] ?? "UNSPECIFIED_ERROR"), message }, status);
}

const oauth = new OAuthServer({ tokenPath: "/oauth/token", clientAuth: "body", jwtBearer: true, issuesRefreshTokens: false, defaults: { accessTokenTtlSeconds: 3600, refresh: "omit", autoApprove: true } });

function send(r: SimRequest, a: Account, account: string) {
  const f = r.fields as { emailSubject?: unknown; documents?: { documentBase64?: unknown }[]; recipients?: { signers?: { email?: unknown; name?: unknown }[] }; status?: unknown };
  if (typeof f.emailSubject !== "string" || !f.emailSubject) return error(400, "The email subject is required.", "ENVELOPE_IS_INCOMPLETE");
  if (!Array.isArray(f.documents) || typeof f.documents[0]?.documentBase64 !== "string") return error(400, "The envelope has no document.", "ENVELOPE_IS_INCOMPLETE");
  const signers = f.recipients?.signers;
  if (!Array.isArray(signers) || signers.length === 0 || !signers.every((s) => typeof s.email === "string" && typeof s.name === "string")) return error(400, "Every signer needs an email and a name.", "INVALID_RECIPIENT");
  const now = new Date().toISOString();
  const id = crypto.randomUUID();
  const envelope = { envelopeId: id, status: f.status === "created" ? "created" : "sent", emailSubject: f.emailSubject, sentDateTime: now, statusChangedDateTime: now, uri: `/envelopes/${id}` };
  ofAccount(a, account).push(envelope);
  return json({ envelopeId: id, uri: envelope.uri, statusDateTime: now, status: envelope.status }, 201);
}

const ROUTE = /^\/restapi\/v2\.1\/accounts\/([^/]+)(\/envelopes(?:\/([0-9a-f-]{36}))?)?$/;

export const docusign: SimProvider = {
  name: "docusign",
  oauth,
  authenticate: (r) => oauth.authenticate(r, () => error(401, "The access token provided is expired, revoked or malformed.", "AUTHORIZATION_INVALID_TOKEN")),
  handle(r, account) {
    const a = account!;
    const m = r.path.match(ROUTE);
    if (!m) return error(404, `No route ${r.method} ${r.path}`, "RESOURCE_NOT_FOUND");
    const [, id, envelopesPath, envelopeId] = m;
    if (!envelopesPath && r.method === "GET") return json({ accountId: id, accountName: "Simulated City Parking", planName: "DEVCENTER_DEMO_APRIL2013" });
    if (envelopesPath && !envelopeId && r.method === "POST") return send(r, a, id!);
    if (envelopesPath && envelopeId && r.method === "GET") {
      const e = ofAccount(a, id!).find((x) => x.envelopeId === envelopeId);
      return e ? json(e) : error(404, "The envelope specified either does not exist or you have no rights to the envelope.");
    }
    if (envelopesPath && !envelopeId && r.method === "GET") {
      const from = r.url.searchParams.get("from_date");
      if (!from || Number.isNaN(Date.parse(from))) return error(400, "from_date or envelope_ids is required.");
      const all = ofAccount(a, id!).filter((e) => Date.parse(e.statusChangedDateTime) >= Date.parse(from));
      return json({ resultSetSize: String(all.length), totalSetSize: String(all.length), startPosition: "0", endPosition: String(Math.max(0, all.length - 1)), envelopes: all });
    }
    return error(400, `Method ${r.method} is not supported here.`);
  },
  error,
  reset: () => envelopes.clear(),
};
