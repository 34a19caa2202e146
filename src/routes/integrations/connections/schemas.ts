import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../../common";

const MAX_VALUE_BYTES = 8 * 1024;
const MAX_SETTINGS_CHARS = 16 * 1024;
const utf8Length = (s: string) => new TextEncoder().encode(s).length;

export const CredentialFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  secret: z.boolean(),
  required: z.boolean(),
  help: z.string().optional(),
});

export const ProviderSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.string(),
    auth: z.enum(["api_key", "oauth2"]),
    credentialFields: z.array(CredentialFieldSchema),
    webhookSetup: z.string().nullable(),
    webhookUrl: z.string().openapi({ example: "https://api.curbgate.dev/v1/webhooks/demo/stripe" }),
    legacyWebhookUrl: z
      .string()
      .nullable()
      .openapi({ description: "The default tenant's /api/webhooks/{provider} form; null for other tenants" }),
    sync: z
      .array(z.object({ entity: z.string(), directions: z.array(z.enum(["push", "pull"])), description: z.string() }))
      .nullable()
      .openapi({
        description:
          "The entities POST /v1/integrations/{provider}/sync accepts; null when Curbgate has no outbound connector for the provider",
      }),
  })
  .openapi("Provider");

export const ConnectionStatus = z
  .enum(["connected", "error", "disconnected", "authorization_required", "needs_reconnect"])
  .openapi({
    description:
      "authorization_required: OAuth not yet approved (POST /v1/integrations/oauth/{provider}/start); needs_reconnect: the provider refused to renew the tokens (POST …/connections/{id}/reconnect)",
  });

export const ConnectionSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    status: ConnectionStatus,
    credentials: z.record(z.string(), z.string()).openapi({
      description: "Secret fields masked (e.g. sk_…a1b2); non-secret fields as given",
      example: { secretKey: "sk_…a1b2" },
    }),
    settings: z.record(z.string(), z.unknown()),
    keyVersion: z.number().int().openapi({ description: "The tenant data key version that encrypted the credentials" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Connection");

export const ConnectResult = ConnectionSchema.extend({ replaced: z.boolean() }).openapi("ConnectResult");

export const Connect = z
  .object({
    provider: z.string().min(1).max(64).openapi({ example: "stripe" }),
    credentials: z
      .record(
        z.string().max(64),
        z
          .string()
          .min(1, "Must not be empty; leave optional fields out instead")
          .refine((s) => utf8Length(s) <= MAX_VALUE_BYTES, `At most ${MAX_VALUE_BYTES} bytes`),
      )
      .openapi({ example: { secretKey: "sk_test_…", webhookSecret: "whsec_…" } }),
    settings: z
      .record(z.string(), z.unknown())
      .refine((s) => JSON.stringify(s).length <= MAX_SETTINGS_CHARS, `At most ${MAX_SETTINGS_CHARS} characters of JSON`)
      .optional()
      .openapi({ description: 'Non-secret options (stored in plain text), e.g. {"notificationUrl": …}' }),
  })
  .openapi("Connect");

export const ConnectionIdParams = z.object({
  id: z
    .string()
    .regex(/^con_[A-Za-z0-9]{20}$/, "Not a connection id")
    .openapi({ param: { name: "id", in: "path" }, example: "con_7KQ2M9xv4TfB8cWn3pZr" }),
});

/** Routes that need the vault declare this beside `errors()`. */
export const vaultUnavailable = {
  503: {
    description: "The credential vault is not configured (VAULT_MASTER_KEYS missing or invalid) or cannot open a key",
    content: { "application/problem+json": { schema: ProblemSchema } },
  },
};
