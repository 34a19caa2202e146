// AIMS Enforcement (the Stamford integration guide, docs/sources.md: base URL
// https://api.aims-enforcement.com/v1, OAuth 2 with a client id and
// secret, the citation body with the fine in dollars), entity "citations": push Curbgate's citations so
// AIMS handhelds and back office hold every citation Curbgate knows of: those named in
// params.citationIds, or every one created since the job's `since` (a schedule's previous run), except
// the ones AIMS itself issued (POST /api/aims/citations). Each job first gets an access
// token with the client-credentials grant (`POST /v1/oauth/token`, the client authenticated with HTTP
// Basic), through ctx.call like every other call, so it is gated and logged; the token lives only in
// memory for that attempt. Each citation is one POST with `Idempotency-Key: <job>:citation:<number>`;
// AIMS answers 409 CITATION_EXISTS for a number it already holds, which counts as done.
import { basicAuth } from "../../lib/bytes";
import { ProviderCallError } from "../../lib/vendor-call-error";
import type { CitationRecord } from "../../sync/contract";
import { citationsToSend, sendEach } from "../shared/citations";
import { dollars } from "../shared/money";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

const TOKEN_PATH = "/v1/oauth/token";

async function accessToken(ctx: ConnectorContext): Promise<string> {
  const res = await ctx.call<{ access_token: string }>({
    method: "POST",
    path: TOKEN_PATH,
    form: true,
    body: { grant_type: "client_credentials", scope: "citations:write" },
  });
  return res.body.access_token;
}

/** Calls the API with a bearer token, fetching a fresh one once if AIMS says the token is no longer good. */
function withToken(ctx: ConnectorContext) {
  let token: Promise<string> | null = null;
  return async <T>(req: Parameters<ConnectorContext["call"]>[0]) => {
    for (let attempt = 0; ; attempt++) {
      const bearer = await (token ??= accessToken(ctx)); // a refused client fails here, once
      try {
        return await ctx.call<T>({ ...req, headers: { ...req.headers, authorization: `Bearer ${bearer}` } });
      } catch (err) {
        if (!(err instanceof ProviderCallError && err.kind === "auth" && attempt === 0)) throw err;
        token = null;
      }
    }
  };
}

const toAims = (c: CitationRecord) => ({
  citationNumber: c.number,
  licensePlate: c.plate,
  ...(c.state ? { state: c.state } : {}),
  violation: { code: c.violationCode, description: c.description ?? "", fineAmount: dollars(c.fineCents) },
  location: {
    zoneNumber: c.zone,
    ...(c.address ? { address: c.address } : {}),
    ...(c.latitude !== null && c.longitude !== null ? { latitude: c.latitude, longitude: c.longitude } : {}),
  },
  ...(c.officer
    ? {
        officer: {
          id: c.officer.id,
          ...(c.officer.name ? { name: c.officer.name } : {}),
          ...(c.officer.badge ? { badge: c.officer.badge } : {}),
        },
      }
    : {}),
  timestamp: new Date(c.issuedAt).toISOString(),
});

async function pushCitations(ctx: ConnectorContext, job: SyncJobInput) {
  const { citations, skipped } = await citationsToSend(ctx, job, { excludeSource: "aims" });
  if (citations.length === 0) return { records: 0, detail: { created: 0, alreadyOnFile: [], ids: [], skipped } };
  const call = withToken(ctx);
  const { ids, alreadyHeld } = await sendEach(citations, async (c) => {
    const res = await call<{ id: string }>({
      method: "POST",
      path: "/v1/citations",
      body: toAims(c),
      idempotencyKey: ctx.key(`citation:${c.number}`),
    });
    return res.body.id;
  });
  return { records: citations.length, detail: { created: ids.length, alreadyOnFile: alreadyHeld, ids, skipped } };
}

export const connector: Connector = {
  provider: "aims",
  defaultBaseUrl: "https://api.aims-enforcement.com",
  authorize(headers, credentials) {
    // API calls carry the bearer token the connector just obtained; only the token request authenticates the client.
    if (headers.has("authorization")) return;
    headers.set(
      "authorization",
      basicAuth(encodeURIComponent(credentials.clientId ?? ""), encodeURIComponent(credentials.clientSecret ?? "")),
    );
  },
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 120,
  async test(ctx) {
    const res = await withToken(ctx)<{ environment: string }>({ method: "GET", path: "/v1/account" });
    return { environment: res.body.environment };
  },
  entities: {
    citations: {
      directions: ["push"],
      description:
        "Push Curbgate's citations to AIMS: params.citationIds (1-100), or every citation created since the job's since, except those AIMS issued.",
      run: pushCitations,
    },
  },
};
