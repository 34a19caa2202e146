import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { deleteConnection } from "../../../storage/connections";
import { forgetConnection } from "../../../vault/connections";
import { db } from "../../../storage/db";
import { bearer, errors } from "../../common";
import { ConnectionIdParams } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/connections/{id}",
  tags: ["Integrations"],
  summary: "Disconnect a provider: the row and its encrypted credentials are deleted",
  description:
    "Webhooks for the provider are refused (404) from then on; other isolates may accept them for up to 60 s while their cache expires.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ConnectionIdParams },
  responses: { 204: { description: "Disconnected" }, ...errors(404) },
});

export const disconnectProvider = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const row = await deleteConnection(db(c.env.DB), tenantId, c.req.valid("param").id);
  if (!row) throw new ApiError(404, "Connection not found");
  forgetConnection(tenantId, row.provider);
  audit(c, "integration.disconnect", row.id, { provider: row.provider });
  return c.body(null, 204);
});
