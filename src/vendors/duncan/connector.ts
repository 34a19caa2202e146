// Duncan Solutions collections, entity "citations": push params.citations that went unpaid, placing each
// with Duncan for collection. The Stamford integration guide (docs/sources.md) only names Duncan
// ("citation processing and collections"), so
// the API is Curbgate's design (docs/integrations.md, "Duncan Solutions"): `Authorization: Bearer
// <apiKey>`, `POST /v1/collections/placements` in cents, `Idempotency-Key: <job>:placement:<number>`,
// and 409 ALREADY_PLACED for a citation Duncan already holds, which counts as done.
import { citationsParam, sendEach, type CitationInput } from "../shared/citations";
import { invalidParams } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

const toPlacement = (c: CitationInput, currency: string) => ({
  citationNumber: c.citationNumber,
  licensePlate: c.plate,
  state: c.state,
  issuedAt: new Date(c.issuedAt).toISOString(),
  violationCode: c.violationCode,
  ...(c.description ? { description: c.description } : {}),
  zoneNumber: c.zone,
  amountDueCents: c.amountDueCents ?? c.fineCents,
  currency,
  noticesSent: c.noticesSent ?? 0,
});

async function placeCitations(ctx: ConnectorContext, job: SyncJobInput) {
  const citations = citationsParam(job.params);
  if (citations.some((c) => (c.amountDueCents ?? c.fineCents) < 1))
    throw invalidParams("a citation placed for collection must owe something");
  const currency = typeof ctx.settings.currency === "string" ? ctx.settings.currency : "USD";
  const { ids, alreadyHeld } = await sendEach(citations, async (c) => {
    const res = await ctx.call<{ placementId: string }>({
      method: "POST",
      path: "/v1/collections/placements",
      body: toPlacement(c, currency),
      idempotencyKey: ctx.key(`placement:${c.citationNumber}`),
    });
    return res.body.placementId;
  });
  return { records: citations.length, detail: { placed: ids.length, alreadyPlaced: alreadyHeld, placementIds: ids } };
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
        "Push: place params.citations (1-100; as for AIMS, plus amountDueCents and noticesSent) with Duncan for collection.",
      run: placeCitations,
    },
  },
};
