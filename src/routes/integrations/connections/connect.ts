import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { ApiError, type FieldError } from "../../../http/problem";
import { router } from "../../../http/router";
import { vendorById } from "../../../vendors";
import type { Vendor } from "../../../vendors/types";
import { audit } from "../../../http/audit";
import { connect, forgetConnection } from "../../../vault/connections";
import { credentialsToConnect } from "../../../sync/oauth/connect";
import { bearer, errors, json, jsonBody } from "../../common";
import { presentConnection } from "./present";
import { Connect, ConnectResult, vaultUnavailable } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/connections",
  tags: ["Integrations"],
  summary: "Connect a provider with its credentials (encrypted at rest); connecting again replaces them",
  description:
    "One connection per tenant and provider: 201 when it is new, 200 with `replaced: true` when it replaced the credentials and settings of the existing one (same id). " +
    "An OAuth provider starts as `authorization_required` until someone approves it (POST /v1/integrations/oauth/{provider}/start); connecting it again with the same client id keeps its tokens.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { body: jsonBody(Connect) },
  responses: { 201: json(ConnectResult, "Connected"), 200: json(ConnectResult, "Replaced"), ...errors(), ...vaultUnavailable },
});

const field = (path: string, message: string): FieldError => ({ location: "body", path, message });

function credentialProblems(provider: Vendor, credentials: Record<string, string>): FieldError[] {
  const known = new Set(provider.credentialFields.map((f) => f.name));
  return [
    ...provider.credentialFields
      .filter((f) => f.required && !Object.hasOwn(credentials, f.name))
      .map((f) => field(`credentials.${f.name}`, `Required by ${provider.name}`)),
    ...Object.keys(credentials)
      .filter((name) => !known.has(name))
      .map((name) => field(`credentials.${name}`, `Not a credential of ${provider.name}`)),
  ];
}

export const connectProvider = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const provider = vendorById(body.provider);
  if (!provider)
    throw new ApiError(422, "Unknown provider", {
      errors: [field("provider", `No provider "${body.provider}"; see GET /v1/integrations/providers`)],
    });
  const problems = credentialProblems(provider, body.credentials);
  if (problems.length) throw new ApiError(422, "The credentials do not fit the provider", { errors: problems });

  // OAuth providers keep the tokens they already have while the OAuth client stays the same.
  const prepared = await credentialsToConnect(c.env, tenantId, provider, body.credentials);
  const { row, replaced } = await connect(c.env, { tenantId, provider: provider.id, ...prepared, settings: body.settings ?? {} });
  forgetConnection(tenantId, provider.id);
  // Field names only: values, even masked, stay out of the audit log.
  audit(c, "integration.connect", row.id, {
    provider: provider.id,
    replaced,
    fields: Object.keys(body.credentials).sort(),
    keyVersion: row.keyVersion,
  });
  return replaced ? c.json({ ...presentConnection(row), replaced }, 200) : c.json({ ...presentConnection(row), replaced }, 201);
});
