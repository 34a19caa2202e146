import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { connectorOf } from "../../vendors";
import { listConnections } from "../../storage/connections";
import { db } from "../../storage/db";
import { bearer, errors, json } from "../common";
import { gateOf } from "../integrations/sync/lookup";
import { presentBreaker } from "../integrations/sync/present";
import { BreakerSchema } from "../integrations/sync/schemas";

const route = createRoute({
  method: "get",
  path: "/circuit-breakers",
  tags: ["Sync"],
  summary: "The circuit breaker of every connected provider that has an outbound connector",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  responses: { 200: json(z.object({ data: z.array(BreakerSchema) }), "Breakers by provider"), ...errors() },
});

export const listBreakers = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const connections = await listConnections(db(c.env.DB), tenantId);
  const data = await Promise.all(
    connections.flatMap((row) => {
      const connector = connectorOf(row.provider);
      if (!connector) return [];
      const { gate, settings } = gateOf(c.env, tenantId, connector, row);
      return [gate.status(settings).then((s) => presentBreaker(row.provider, row.id, s, settings))];
    }),
  );
  return c.json({ data }, 200);
});
