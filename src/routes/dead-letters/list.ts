import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { searchDeadLetters } from "../../storage/dead-letters";
import { bearer, errors, iso, json } from "../common";
import { DeadLetterSchema } from "./schemas";

const listDead = createRoute({
  method: "get",
  path: "/",
  tags: ["Webhooks"],
  summary: "Events that exhausted their attempts (newest first)",
  security: bearer,
  middleware: [requireScope("webhooks:read")] as const,
  request: {
    query: z.object({
      kind: z
        .enum(["webhook", "sync"])
        .optional()
        .openapi({ description: "webhook events, or sync jobs (replayed through POST /v1/integrations/{provider}/sync/retry)" }),
      provider: z.string().max(32).optional(),
      replayed: z.enum(["true", "false"]).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: json(z.object({ data: z.array(DeadLetterSchema) }), "Dead letters"), ...errors() },
});

export const listDeadLetters = router().openapi(listDead, async (c) => {
  const q = c.req.valid("query");
  const replayed = q.replayed === "true" ? true : q.replayed === "false" ? false : undefined;
  const rows = await searchDeadLetters(db(c.env.DB), c.get("principal").tenantId, {
    kind: q.kind,
    provider: q.provider,
    replayed,
    limit: q.limit,
  });
  return c.json(
    {
      data: rows.map((d) => ({
        id: d.id,
        kind: d.kind,
        eventId: d.refId,
        provider: d.provider,
        attempts: d.attempts,
        lastError: d.lastError,
        failedAt: iso(d.failedAt),
        replayedAt: d.replayedAt === null ? null : iso(d.replayedAt),
      })),
    },
    200,
  );
});
