import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { findByProvider } from "../../storage/connections";
import { db } from "../../storage/db";
import { bearer, errors, json } from "../common";
import { gateOf, requireConnector } from "../integrations/sync/lookup";
import { presentBreaker } from "../integrations/sync/present";
import { BreakerSchema, ProviderParams } from "../integrations/sync/schemas";

const route = createRoute({
  method: "post",
  path: "/circuit-breakers/{provider}/reset",
  tags: ["Sync"],
  summary: "Close a provider's breaker and clear any Retry-After pause, now",
  description: "For an operator who knows the provider is back; counters are kept.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams },
  responses: { 200: json(BreakerSchema, "The breaker after the reset"), ...errors(404) },
});

export const resetBreaker = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const tenantId = c.get("principal").tenantId;
  const connector = requireConnector(provider);
  const connection = await findByProvider(db(c.env.DB), tenantId, provider);
  if (!connection) throw new ApiError(404, `No ${provider} connection, so no breaker`);
  const { gate, settings } = gateOf(c.env, tenantId, connector, connection);
  await gate.reset();
  audit(c, "integration.breaker.reset", provider);
  return c.json(presentBreaker(provider, connection.id, await gate.status(settings), settings), 200);
});
