import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../../common";
import { TestOutcomeSchema } from "../../../sync/connection-test";

export const OAuthProviderParams = z.object({
  provider: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, "Not a provider id")
    .openapi({ param: { name: "provider", in: "path" }, example: "quickbooks" }),
});

export const AuthorizationSchema = z
  .object({
    authorizeUrl: z.string().openapi({
      description: "Send the person's browser here; the vendor sends it back to the callback",
      example: "https://appcenter.intuit.com/connect/oauth2?response_type=code&client_id=…&state=…",
    }),
    state: z.string().openapi({ description: "Single use, bound to this tenant and credential, valid until expiresAt" }),
    expiresAt: z.string(),
  })
  .openapi("OAuthAuthorization");

export const CallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(256).optional().openapi({ description: "Set by the vendor when the person declined (access_denied)" }),
  error_description: z.string().max(1024).optional(),
});

export const CallbackResult = z
  .object({ connected: z.literal(true), provider: z.string(), connectionId: z.string(), status: z.string() })
  .openapi("OAuthConnected");

export const ReconnectResult = z
  .object({
    connectionId: z.string(),
    provider: z.string(),
    action: z.enum(["authorize", "tested"]).openapi({
      description: "authorize: follow authorizeUrl (OAuth authorisation code); tested: the stored credentials were tried again",
    }),
    status: z.string().openapi({ description: "The connection's status after this call" }),
    authorization: AuthorizationSchema.nullable(),
    test: TestOutcomeSchema.nullable(),
  })
  .openapi("Reconnect");

export const badRequest = {
  400: {
    description: "Unknown, expired, reused or foreign state; the vendor refused or the person declined",
    content: { "application/problem+json": { schema: ProblemSchema } },
  },
};
