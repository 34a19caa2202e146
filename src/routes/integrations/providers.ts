import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { connectorOf } from "../../vendors";
import { VENDORS } from "../../vendors";
import { bearer, errors, json } from "../common";
import { ProviderSchema } from "./connections/schemas";

const route = createRoute({
  method: "get",
  path: "/providers",
  tags: ["Integrations"],
  summary: "Every provider Curbgate connects to: the credentials it needs and the webhook URL to give the vendor",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  responses: { 200: json(z.object({ data: z.array(ProviderSchema) }), "Providers by id"), ...errors() },
});

export const listProviders = router().openapi(route, (c) => {
  const tenantId = c.get("principal").tenantId;
  // The URL the vendor must call is this deployment's own origin, as the caller reached it.
  const origin = new URL(c.req.url).origin;
  const isDefault = tenantId === c.env.DEFAULT_TENANT;
  const data = Object.values(VENDORS)
    .map((p) => ({
      id: p.id,
      name: p.name,
      category: p.category,
      auth: p.auth,
      credentialFields: p.credentialFields.map(({ name, label, secret, required, help }) => ({
        name,
        label,
        secret,
        required,
        ...(help ? { help } : {}),
      })),
      webhookSetup: p.webhookSetup ?? null,
      webhookUrl: `${origin}/v1/webhooks/${encodeURIComponent(tenantId)}/${p.id}`,
      legacyWebhookUrl: isDefault ? `${origin}/api/webhooks/${p.id}` : null,
      sync: syncEntities(p.id),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return c.json({ data }, 200);
});

/** What POST /v1/integrations/{provider}/sync accepts for this provider, or null without an outbound connector. */
function syncEntities(provider: string) {
  const connector = connectorOf(provider);
  if (!connector) return null;
  return Object.entries(connector.entities).map(([entity, op]) => ({
    entity,
    directions: op.directions,
    description: op.description,
  }));
}
