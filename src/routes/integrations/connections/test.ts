import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { connectorOf } from "../../../vendors";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { findConnection } from "../../../storage/connections";
import { db } from "../../../storage/db";
import { bearer, errors, json } from "../../common";
import { TestOutcomeSchema, testConnectionOf } from "../../../sync/connection-test";
import { ConnectionIdParams, vaultUnavailable } from "./schemas";

const TestResult = TestOutcomeSchema.extend({ connectionId: z.string(), provider: z.string() }).openapi("ConnectionTest");

const route = createRoute({
  method: "post",
  path: "/connections/{id}/test",
  tags: ["Integrations"],
  summary: "Make one real, cheap, authenticated call to the provider with the stored credentials",
  description:
    "Goes through the provider's circuit breaker and rate limit and is logged like any other call. A refused or failed call is `ok: false` with the reason, not an error of this route.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ConnectionIdParams },
  responses: { 200: json(TestResult, "The outcome"), ...errors(404), ...vaultUnavailable },
});

export const testConnection = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const row = await findConnection(db(c.env.DB), tenantId, c.req.valid("param").id);
  if (!row) throw new ApiError(404, "Connection not found");
  const connector = connectorOf(row.provider);
  if (!connector) throw new ApiError(404, `No outbound connector for ${row.provider} yet, so nothing to test`);
  const outcome = await testConnectionOf(c.env, tenantId, row, connector);
  audit(c, "integration.test", row.id, { provider: row.provider, ok: outcome.ok, kind: outcome.error?.kind ?? null });
  return c.json({ connectionId: row.id, provider: row.provider, ...outcome }, 200);
});
