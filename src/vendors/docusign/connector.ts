// DocuSign eSignature REST API v2.1 (developers.docusign.com), entity "envelopes": send a document
// for signature, read envelope status. Authentication is the JWT grant: Curbgate signs an assertion
// with the integration's RSA private key (from the vault) and exchanges it for an hour's access
// token; there is no refresh token and no browser step, only the one-time consent an admin gives at
// DocuSign. DocuSign takes no idempotency key: a job retried after an ambiguous failure can send an
// envelope twice; refused and failed calls sent nothing.
import { SignJWT, importPKCS8 } from "jose";
import { ProviderCallError } from "../../lib/vendor-call-error";
import { invalidParams, requiredString, stringParam } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";
import { pkcs8Pem } from "./rsa-keys";

const ASSERTION_SECONDS = 3600;
const MAX_DOCUMENT_CHARS = 8 * 1024 * 1024; // base64 of ~6 MB; DocuSign accepts 25 MB, a queue message does not

const account = (ctx: ConnectorContext) => {
  const id = ctx.credentials.accountId;
  if (!id) throw new ProviderCallError("auth", "docusign: no accountId in the connection");
  return `/restapi/v2.1/accounts/${encodeURIComponent(id)}`;
};

/** RFC 7523 assertion: iss the integration key, sub the API user, aud the auth server's host. */
async function assertion(credentials: Readonly<Record<string, string>>, audience: string, nowMs: number): Promise<string> {
  const key = await importPKCS8(pkcs8Pem(credentials.privateKey ?? ""), "RS256");
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ scope: "signature impersonation" })
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer(credentials.integrationKey ?? "")
    .setSubject(credentials.userId ?? "")
    .setAudience(audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_SECONDS)
    .sign(key);
}

function signers(params: Record<string, unknown>) {
  const list = params.signers;
  if (!Array.isArray(list) || list.length === 0 || list.length > 20) throw invalidParams("signers must list 1 to 20 signers");
  return list.map((s, i) => {
    const r = (s && typeof s === "object" ? s : {}) as Record<string, unknown>;
    if (typeof r.email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(r.email))
      throw invalidParams(`signers[${i}].email is not an address`);
    if (typeof r.name !== "string" || r.name.length === 0 || r.name.length > 100)
      throw invalidParams(`signers[${i}].name is required`);
    return { email: r.email, name: r.name, recipientId: String(i + 1), routingOrder: String(i + 1) };
  });
}

async function sendEnvelope(ctx: ConnectorContext, job: SyncJobInput) {
  const documentBase64 = requiredString(job.params, "documentBase64", /^[A-Za-z0-9+/]+={0,2}$/);
  if (documentBase64.length > MAX_DOCUMENT_CHARS) throw invalidParams("documentBase64 is too large");
  const name = stringParam(job.params, "documentName", /^.{1,100}$/s) ?? "document.pdf";
  const body = {
    emailSubject: requiredString(job.params, "emailSubject", /^.{1,100}$/s),
    documents: [{ documentBase64, name, fileExtension: name.split(".").pop() ?? "pdf", documentId: "1" }],
    recipients: { signers: signers(job.params) },
    status: "sent",
  };
  const res = await ctx.call<{ envelopeId: string; status: string; statusDateTime: string }>({
    method: "POST",
    path: `${account(ctx)}/envelopes`,
    body,
    idempotencyKey: ctx.key("envelope"),
  });
  return { records: 1, detail: { envelopeId: res.body.envelopeId, status: res.body.status } };
}

async function envelopeStatus(ctx: ConnectorContext, job: SyncJobInput) {
  const one = stringParam(job.params, "envelopeId", /^[0-9a-f-]{36}$/);
  if (one) {
    const res = await ctx.call<{ envelopeId: string; status: string }>({
      method: "GET",
      path: `${account(ctx)}/envelopes/${one}`,
    });
    return { records: 1, detail: { statuses: { [res.body.status]: 1 } } };
  }
  const from = new Date(job.since ?? ctx.nowMs - 30 * 86_400_000).toISOString();
  const res = await ctx.call<{ envelopes?: { status: string }[]; totalSetSize: string }>({
    method: "GET",
    path: `${account(ctx)}/envelopes`,
    query: { from_date: from },
  });
  const statuses: Record<string, number> = {};
  for (const e of res.body.envelopes ?? []) statuses[e.status] = (statuses[e.status] ?? 0) + 1;
  return { records: res.body.envelopes?.length ?? 0, detail: { statuses, total: Number(res.body.totalSetSize) || 0 } };
}

export const connector: Connector = {
  provider: "docusign",
  defaultBaseUrl: "https://www.docusign.net", // set settings.baseUrl to the account's base URI (https://demo.docusign.net, https://na3.docusign.net, …)
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.accessToken ?? ""}`),
  idempotencyHeader: undefined, // none; see the note at the top
  rateLimitPerMinute: 50, // DocuSign's default 3 000 calls per hour per account
  async test(ctx) {
    const res = await ctx.call<{ accountName: string; planName?: string }>({ method: "GET", path: account(ctx) });
    return { accountName: res.body.accountName, planName: res.body.planName ?? null };
  },
  entities: {
    envelopes: {
      directions: ["push", "pull"],
      description:
        "Push: send params.documentBase64 (params.documentName) titled params.emailSubject to params.signers [{email, name}]. Pull: status of params.envelopeId, or of every envelope since `since` (default 30 days).",
      run: (ctx, job) => (job.direction === "push" ? sendEnvelope(ctx, job) : envelopeStatus(ctx, job)),
    },
  },
  oauth: {
    grant: "jwt_bearer",
    tokenUrl: "https://account.docusign.com/oauth/token", // developer accounts: settings.oauthBaseUrl = https://account-d.docusign.com
    scopes: ["signature", "impersonation"],
    pkce: false,
    clientAuth: "body",
    assertion,
  },
};
