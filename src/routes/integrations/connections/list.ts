import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { listConnections } from "../../../storage/connections";
import { db } from "../../../storage/db";
import { bearer, errors, json } from "../../common";
import { presentConnection } from "./present";
import { ConnectionSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/connections",
  tags: ["Integrations"],
  summary: "The tenant's connections, with secrets masked",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  responses: { 200: json(z.object({ data: z.array(ConnectionSchema) }), "Connections by provider"), ...errors() },
});

export const listConnectionsRoute = router().openapi(route, async (c) => {
  const rows = await listConnections(db(c.env.DB), c.get("principal").tenantId);
  return c.json({ data: rows.map(presentConnection) }, 200);
});
