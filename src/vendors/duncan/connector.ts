// Duncan Solutions collections, entity "citations": place Curbgate's citations that were handed to
// collections (status in_collections) with Duncan: those named in params.citationIds (the collections
// cron names them, src/sync/collections.ts), or every one handed over since the job's `since`. The Stamford integration guide (docs/sources.md) only names Duncan
// ("citation processing and collections"), so
// the API is Curbgate's design (docs/integrations.md, "Duncan Solutions"): `Authorization: Bearer
// <apiKey>`, `POST /v1/collections/placements` in cents, `Idempotency-Key: <job>:placement:<number>`,
// and 409 ALREADY_PLACED for a citation Duncan already holds, which counts as done.
import type { CitationRecord } from "../../sync/contract";
import { citationsToSend, sendEach } from "../shared/citations";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

// Curbgate sends no notices of its own yet, so noticesSent is 0.
const toPlacement = (c: CitationRecord, currency: string) => ({
  citationNumber: c.number,
  licensePlate: c.plate,
  ...(c.state ? { state: c.state } : {}),
  issuedAt: new Date(c.issuedAt).toISOString(),
  violationCode: c.violationCode,
  ...(c.description ? { description: c.description } : {}),
  zoneNumber: c.zone,
  amountDueCents: c.amountDueCents,
  currency,
  noticesSent: 0,
});

async function placeCitations(ctx: ConnectorContext, job: SyncJobInput) {
  const { citations, skipped } = await citationsToSend(ctx, job, { statuses: ["in_collections"], by: "collections" });
  const currency = typeof ctx.settings.currency === "string" ? ctx.settings.currency : "USD";
  const owing = citations.filter((c) => c.amountDueCents > 0);
  const { ids, alreadyHeld } = await sendEach(owing, async (c) => {
    const res = await ctx.call<{ placementId: string }>({
      method: "POST",
      path: "/v1/collections/placements",
      body: toPlacement(c, currency),
      idempotencyKey: ctx.key(`placement:${c.number}`),
    });
    return res.body.placementId;
  });
  return { records: owing.length, detail: { placed: ids.length, alreadyPlaced: alreadyHeld, placementIds: ids, skipped } };
}

export const connector: Connector = {
  provider: "duncan",
  defaultBaseUrl: "https://api.duncansolutions.com",
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.apiKey ?? ""}`),
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 60,
  async test(ctx) {
    const res = await ctx.call<{ environment: string; placements: number }>({ method: "GET", path: "/v1/account" });
    return { environment: res.body.environment, placements: res.body.placements };
  },
  entities: {
    citations: {
      directions: ["push"],
      description:
        "Push: place Curbgate's citations handed to collections with Duncan: params.citationIds (1-100), or every one handed over since the job's since.",
      run: placeCitations,
    },
  },
};
