import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../../http/router";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../http/problem";
import { vendorById } from "../../vendors";
import { ingestWebhook, MAX_WEBHOOK_BODY, readLimited } from "../../webhooks/ingest";
import { json, ProblemSchema } from "../common";

const Ack = z.object({ received: z.literal(true), id: z.string(), duplicate: z.boolean() }).openapi("WebhookAck");
const Tenant = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "A tenant id")
  .openapi({ param: { name: "tenant", in: "path" }, example: "demo" });
const Provider = z
  .string()
  .regex(/^[a-z0-9]{2,32}$/, "A provider id")
  .openapi({ param: { name: "provider", in: "path" }, example: "stripe" });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ProblemSchema } } });

const description =
  "Vendors post here; the raw body (up to 1 MiB) is checked with the provider's signature recipe and the tenant's secret (see docs/webhooks.md), recorded durably, then acknowledged. A redelivery of the same vendor event id is acknowledged with `duplicate: true` and processed once. Zoom's URL validation is answered with its challenge response.";
const responses = {
  200: json(Ack, "Recorded (or a duplicate of a recorded event)"),
  400: problem("Not a delivery this provider sends"),
  401: problem("Missing, bad or stale signature"),
  404: problem("Unknown provider, or the tenant has no connection to it"),
  413: problem("Body over 1 MiB"),
};

const tenantRoute = createRoute({
  method: "post",
  path: "/{tenant}/{provider}",
  tags: ["Webhooks"],
  summary: "Receive a vendor's webhook for a tenant",
  description,
  request: { params: z.object({ tenant: Tenant, provider: Provider }) },
  responses,
});
const defaultTenantRoute = createRoute({
  method: "post",
  path: "/{provider}",
  tags: ["Webhooks"],
  summary: "Receive a vendor's webhook for the default tenant (the URL in IPS and Teller's guide)",
  description,
  request: { params: z.object({ provider: Provider }) },
  responses,
});
// Mailchimp checks a webhook URL with a GET before it will save it.
const urlCheck = createRoute({
  method: "get",
  path: "/{tenant}/{provider}",
  tags: ["Webhooks"],
  summary: "URL check some vendors make before saving a webhook",
  request: { params: z.object({ tenant: Tenant, provider: Provider }) },
  responses: { 200: json(z.object({ ok: z.literal(true) }), "The URL exists") },
});

const defaultUrlCheck = createRoute({
  method: "get",
  path: "/{provider}",
  tags: ["Webhooks"],
  summary: "URL check some vendors make before saving a webhook (default tenant)",
  request: { params: z.object({ provider: Provider }) },
  responses: { 200: json(z.object({ ok: z.literal(true) }), "The URL exists") },
});

/** The vendor (404 if it sends no webhooks), then the raw body read once (413 past 1 MiB), then the engine. */
async function receive(c: Context<AppEnv>, tenantId: string, providerId: string) {
  const vendor = vendorById(providerId);
  if (!vendor?.webhook) throw new ApiError(404, `No webhooks for provider ${providerId}`);
  const rawBody = await readLimited(c.req.raw, MAX_WEBHOOK_BODY);
  if (!rawBody) throw new ApiError(413, `Webhook bodies are limited to ${MAX_WEBHOOK_BODY} bytes`);
  const delivery = { tenantId, rawBody, headers: c.req.raw.headers, url: c.req.url, requestId: c.get("requestId") };
  const outcome = await ingestWebhook(c.env, { ...vendor, webhook: vendor.webhook }, delivery);
  return "challenge" in outcome ? c.json(outcome.challenge, 200) : c.json(outcome, 200);
}

/** /v1/webhooks/{tenant}/{provider}: every tenant's URL. */
export const tenantWebhooks = router()
  .openapi(tenantRoute, (c) => {
    const { tenant, provider } = c.req.valid("param");
    return receive(c, tenant, provider) as never;
  })
  .openapi(urlCheck, (c) => c.json({ ok: true as const }, 200));

/** /api/webhooks/{provider}: the default tenant's URL, as the parking vendors' guide gives it. */
export const defaultTenantWebhooks = router()
  .openapi(defaultTenantRoute, (c) => receive(c, c.env.DEFAULT_TENANT, c.req.valid("param").provider) as never)
  .openapi(defaultUrlCheck, (c) => c.json({ ok: true as const }, 200));
