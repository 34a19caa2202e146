import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { findByProvider } from "../../storage/connections";
import { db } from "../../storage/db";
import { providerHealth } from "../../storage/integration-calls";
import { bearer, errors, iso, json } from "../common";
import { gateOf, requireConnector } from "./sync/lookup";
import { presentBreaker } from "./sync/present";
import { BreakerSchema, ProviderParams } from "./sync/schemas";
import { ConnectionStatus } from "./connections/schemas";

const WINDOWS = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;

const Window = z.object({
  calls: z.number().int().openapi({ description: "Calls that reached the provider (or timed out on the way)" }),
  errors: z
    .number()
    .int()
    .openapi({ description: "Of those, the ones that failed: any non-2xx answer, timeout or network error" }),
  errorRate: z.number().nullable().openapi({ description: "errors / calls, 0–1; null without calls" }),
  refused: z
    .number()
    .int()
    .openapi({ description: "Calls the gate held back (breaker open, rate limit, Retry-After pause); never sent" }),
  latencyMs: z
    .object({ p50: z.number().int().nullable(), p95: z.number().int().nullable() })
    .openapi({ description: "Nearest-rank percentiles of the calls' durations" }),
});

const route = createRoute({
  method: "get",
  path: "/{provider}/health",
  tags: ["Sync"],
  summary:
    "How the tenant's calls to a provider are going: connection, breaker, last success and failure, and 24 h / 7 d / 30 d figures",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  request: { params: ProviderParams },
  responses: {
    200: json(
      z.object({
        provider: z.string(),
        connection: z
          .object({ id: z.string(), status: ConnectionStatus })
          .nullable()
          .openapi({ description: "null when the tenant is not connected" }),
        breaker: BreakerSchema.nullable(),
        lastSuccessAt: z.string().nullable(),
        lastFailure: z.object({ at: z.string(), status: z.number().int().nullable(), error: z.string().nullable() }).nullable(),
        windows: z.object({ "24h": Window, "7d": Window, "30d": Window }),
      }),
      "Provider health for the caller's tenant",
    ),
    ...errors(404),
  },
});

export const providerHealthRoute = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const tenantId = c.get("principal").tenantId;
  const connector = requireConnector(provider);
  const [connection, figures] = await Promise.all([
    findByProvider(db(c.env.DB), tenantId, provider),
    providerHealth(c.env.DB, tenantId, provider, Object.values(WINDOWS)),
  ]);
  let breaker = null;
  if (connection) {
    const { gate, settings } = gateOf(c.env, tenantId, connector, connection);
    breaker = presentBreaker(provider, connection.id, await gate.status(settings), settings);
  }
  const [day, week, month] = figures.windows.map((w) => ({
    calls: w.calls,
    errors: w.errors,
    errorRate: w.calls ? w.errors / w.calls : null,
    refused: w.refused,
    latencyMs: { p50: w.p50Ms, p95: w.p95Ms },
  }));
  return c.json(
    {
      provider,
      connection: connection ? { id: connection.id, status: connection.status } : null,
      breaker,
      lastSuccessAt: figures.lastSuccessAt === null ? null : iso(figures.lastSuccessAt),
      lastFailure: figures.lastFailure ? { ...figures.lastFailure, at: iso(figures.lastFailure.at) } : null,
      windows: { "24h": day!, "7d": week!, "30d": month! },
    },
    200,
  );
});
