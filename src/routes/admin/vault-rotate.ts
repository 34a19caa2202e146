import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { rotateMasterKey } from "../../vault/rotate";
import { bearer, errors, json } from "../common";
import { vaultUnavailable } from "../integrations/connections/schemas";

const Report = z
  .object({
    activeVersion: z.number().int(),
    rewrapped: z.number().int(),
    remainingOnOldVersions: z.number().int(),
    skipped: z.array(
      z.object({ tenantId: z.string(), dataKeyVersion: z.number().int(), masterVersion: z.number().int(), reason: z.string() }),
    ),
  })
  .openapi("VaultRotationReport");

const route = createRoute({
  method: "post",
  path: "/vault/rotate",
  tags: ["Admin"],
  summary: "Rewrap every tenant data key under the newest master key version",
  description:
    "Add the new version to VAULT_MASTER_KEYS (keeping the old ones), deploy, then call this until `remainingOnOldVersions` is 0 " +
    "(or only `skipped` rows remain). Rows are rewrapped one at a time and stay readable throughout; only then remove old versions.",
  security: bearer,
  middleware: [requireScope("platform:admin")] as const,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1_000).default(200).openapi({ description: "Rows to rewrap in this call" }),
    }),
  },
  responses: { 200: json(Report, "What was rewrapped, and what is left"), ...errors(), ...vaultUnavailable },
});

export const rotateVault = router().openapi(route, async (c) => {
  const report = await rotateMasterKey(c.env, { limit: c.req.valid("query").limit });
  audit(c, "vault.rotate", `master:${report.activeVersion}`, report);
  return c.json(report, 200);
});
