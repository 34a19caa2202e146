import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { costRows, costTotals, type CostRow } from "../../storage/integration-calls";
import { bearer, errors, json } from "../common";

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

const Query = z
  .object({
    from: z.iso.date().openapi({ example: "2026-05-01", description: "First UTC day, inclusive" }),
    until: z.iso.date().openapi({ example: "2026-05-31", description: "Last UTC day, inclusive; at most 366 days after `from`" }),
    provider: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/, "Not a provider id")
      .optional(),
    tenant: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a tenant id")
      .optional()
      .openapi({ description: "platform:admin only, unless it is the caller's own tenant" }),
    limit: z.coerce.number().int().min(1).max(5000).default(1000).openapi({ description: "Rows per page" }),
    cursor: z
      .string()
      .regex(/^\d{1,6}\.[A-Za-z0-9_-]{1,64}\.[a-z0-9_-]{1,32}$/, "Not a cursor from a previous page")
      .optional(),
  })
  .refine((q) => q.from <= q.until, { path: ["until"], message: "Must not be before `from`" })
  .refine((q) => (Date.parse(q.until) - Date.parse(q.from)) / DAY_MS < MAX_DAYS, {
    path: ["until"],
    message: `At most ${MAX_DAYS} days from \`from\``,
  });

const Sums = {
  calls: z.number().int().openapi({ description: "Calls that reached the provider" }),
  units: z.number().int().openapi({ description: "Billable units of the calls it accepted" }),
};

const route = createRoute({
  method: "get",
  path: "/integrations/costs",
  tags: ["Admin"],
  summary: "Outbound calls and billable units per UTC day, tenant and provider over a date range, with totals",
  description:
    "With `platform:admin`: every tenant (or `tenant=`). With `integrations:read` alone: the caller's own tenant only; naming another is 403. " +
    "Calls the gate refused never reached the provider and are not counted; units are billed for calls the provider accepted (2xx). " +
    "Days without calls have no row. Totals cover the whole range, not only the page.",
  security: bearer,
  middleware: [
    createMiddleware<AppEnv>(async (c, next) => {
      const scopes = c.get("principal").scopes;
      if (!scopes.has("platform:admin") && !scopes.has("integrations:read"))
        throw new ApiError(403, "This credential lacks the `integrations:read` scope");
      await next();
    }),
  ] as const,
  request: { query: Query },
  responses: {
    200: json(
      z.object({
        from: z.string(),
        until: z.string(),
        tenant: z.string().nullable().openapi({ description: "The tenant the figures are limited to; null for all" }),
        data: z.array(z.object({ day: z.string(), tenant: z.string(), provider: z.string(), ...Sums })),
        nextCursor: z.string().nullable(),
        byProvider: z.array(z.object({ provider: z.string(), ...Sums })),
        totals: z.object(Sums),
      }),
      "Cost figures",
    ),
    ...errors(),
  },
});

const dayOf = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
const encodeCursor = (r: CostRow) => `${r.day}.${r.tenantId}.${r.provider}`;
function decodeCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  const [day, tenantId, provider] = cursor.split(".") as [string, string, string];
  return { day: Number(day), tenantId, provider };
}

export const integrationCosts = router().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const principal = c.get("principal");
  const everyTenant = principal.scopes.has("platform:admin");
  if (!everyTenant && q.tenant !== undefined && q.tenant !== principal.tenantId)
    throw new ApiError(403, "Only platform operators read other tenants' costs");
  const tenantId = everyTenant ? q.tenant : principal.tenantId;
  const filter = { fromMs: Date.parse(q.from), untilMs: Date.parse(q.until) + DAY_MS, tenantId, provider: q.provider };
  // One row more than asked tells whether another page exists.
  const [rows, byProvider] = await Promise.all([
    costRows(c.env.DB, filter, q.limit + 1, decodeCursor(q.cursor)),
    costTotals(c.env.DB, filter),
  ]);
  const page = rows.slice(0, q.limit);
  return c.json(
    {
      from: q.from,
      until: q.until,
      tenant: tenantId ?? null,
      data: page.map((r) => ({ day: dayOf(r.day), tenant: r.tenantId, provider: r.provider, calls: r.calls, units: r.units })),
      nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null,
      byProvider,
      totals: byProvider.reduce((t, p) => ({ calls: t.calls + p.calls, units: t.units + p.units }), { calls: 0, units: 0 }),
    },
    200,
  );
});
