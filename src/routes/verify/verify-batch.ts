import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { statusOf } from "../../http/errors";
import { Failure } from "../../lib/failure";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, iso, json, jsonBody } from "../common";
import { presentVerdict, type PresentedVerdict } from "./present";
import { BatchRequest, BatchResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/batch",
  tags: ["Plate checks"],
  summary: "Check up to 100 plates in one call (camera sweeps)",
  description:
    "Plates are grouped by zone and each zone answers in one call. A check whose zone is unknown gets an `error` entry; the rest still answer.",
  security: bearer,
  middleware: [requireScope("verify:read")] as const,
  request: { body: jsonBody(BatchRequest) },
  responses: { 200: json(BatchResponse, "One result per check, in request order"), ...errors() },
});

type CheckFailure = { plate: string; zone: string | null; error: { status: number; detail: string } };

export const verifyBatch = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const atMs = body.at ? Date.parse(body.at) : Date.now();
  const tenantId = c.get("principal").tenantId;
  const results: (PresentedVerdict | CheckFailure)[] = new Array(body.checks.length);
  const byZone = new Map<string, number[]>();

  body.checks.forEach((check, i) => {
    const zone = check.zone ?? body.zone;
    if (!zone) {
      results[i] = { plate: check.sent, zone: null, error: { status: 422, detail: "No zone given for this check or the batch" } };
      return;
    }
    byZone.set(zone, [...(byZone.get(zone) ?? []), i]);
  });

  await Promise.all(
    [...byZone].map(async ([zone, indexes]) => {
      const queries = indexes.map((i) => ({ plate: body.checks[i]!.plate, state: body.checks[i]!.state ?? null }));
      try {
        const outcomes = await callZone(c.env, tenantId, zone, (s) => s.checkMany(queries, atMs));
        indexes.forEach((i, k) => (results[i] = presentVerdict(outcomes[k]!, { ...queries[k]!, atMs })));
      } catch (err) {
        if (!(err instanceof Failure)) throw err;
        for (const i of indexes)
          results[i] = { plate: body.checks[i]!.sent, zone, error: { status: statusOf(err), detail: err.message } };
      }
    }),
  );
  return c.json({ checkedAt: iso(atMs), results }, 200);
});
