import { z } from "@hono/zod-openapi";

export const StaffToken = z
  .object({
    token: z.string(),
    tokenType: z.literal("Bearer"),
    expiresAt: z.string().openapi({ description: "When this token stops working (15 minutes); refresh before then" }),
    sessionExpiresAt: z
      .string()
      .openapi({ description: "The latest a refresh can reach: 12 hours after the password was given" }),
    user: z.object({ id: z.string(), email: z.string(), role: z.string(), tenantId: z.string() }),
  })
  .openapi("StaffToken");
