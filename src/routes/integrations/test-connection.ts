import { createRoute, z } from "@hono/zod-openapi";
import { newId } from "../../auth/crypto";
import { requireScope } from "../../auth/middleware";
import { connectorFor } from "../../connectors";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { audit } from "../../storage/audit";
import { connectionFor, findConnection } from "../../storage/connections";
import { db } from "../../storage/db";
import { ProviderCallError } from "../../sync/errors";
import { connectorContext } from "../../sync/outbound";
import { bearer, errors, json } from "../common";
import { ConnectionIdParams, vaultUnavailable } from "./schemas";

const TestResult = z
  .object({
    connectionId: z.string(),
    provider: z.string(),
    ok: z.boolean(),
    durationMs: z.number().int(),
    detail: z.record(z.string(), z.unknown()).nullable().openapi({ description: "What the provider said about the account (never a credential)" }),
    error: z.object({ kind: z.string(), status: z.number().int().nullable(), message: z.string() }).nullable(),
  })
  .openapi("ConnectionTest");

const route = createRoute({
  method: "post",
  path: "/v1/integrations/connections/{id}/test",
  tags: ["Integrations"],
  summary: "Make one real, cheap, authenticated call to the provider with the stored credentials",
  description: "Goes through the provider's circuit breaker and rate limit and is logged like any other call. A refused or failed call is `ok: false` with the reason, not an error of this route.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ConnectionIdParams },
  responses: { 200: json(TestResult, "The outcome"), ...errors(404), ...vaultUnavailable },
});

export const testConnection = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const row = await findConnection(db(c.env.DB), tenantId, c.req.valid("param").id);
  if (!row) throw new ApiError(404, "Connection not found");
  const connector = connectorFor(row.provider);
  if (!connector) throw new ApiError(404, `No outbound connector for ${row.provider} yet, so nothing to test`);
  const connection = await connectionFor(c.env, tenantId, row.provider);
  if (!connection) throw new ApiError(404, "Connection not found");

  // The call log names it "test_…", so health figures can tell connection tests from job calls.
  const ctx = connectorContext({ env: c.env, tenantId, connector, credentials: connection.credentials, settings: connection.settings }, newId("test"));
  const started = Date.now();
  let outcome: { ok: boolean; detail: Record<string, unknown> | null; error: { kind: string; status: number | null; message: string } | null };
  try {
    outcome = { ok: true, detail: await connector.test(ctx), error: null };
  } catch (err) {
    const e = err instanceof ProviderCallError ? err : new ProviderCallError("server", err instanceof Error ? err.message : String(err));
    outcome = { ok: false, detail: null, error: { kind: e.kind, status: e.status, message: e.message } };
  }
  audit(c, "integration.test", row.id, { provider: row.provider, ok: outcome.ok, kind: outcome.error?.kind ?? null });
  return c.json({ connectionId: row.id, provider: row.provider, durationMs: Date.now() - started, ...outcome }, 200);
});
