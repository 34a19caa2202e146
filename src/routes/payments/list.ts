import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { type PaymentRow, paymentPage } from "../../storage/payments";
import { bearer, errors, json } from "../common";
import { presentPayment } from "./present";
import { ListPaymentsQuery, PaymentSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Payments"],
  summary: "The payment ledger (newest payment first), a page at a time",
  description:
    "Every payment from every provider, stored once whether a webhook, a pull or Curbgate itself reported it. Filters combine; `from`/`to` bound when the money moved. Pass `nextCursor` as `cursor` for the next page; it is null on the last.",
  security: bearer,
  middleware: [requireScope("payments:read")] as const,
  request: { query: ListPaymentsQuery },
  responses: {
    200: json(z.object({ data: z.array(PaymentSchema), nextCursor: z.string().nullable() }), "A page of payments"),
    ...errors(),
  },
});

const encodeCursor = (p: PaymentRow) => `${p.paidAt ?? 0}.${p.id}`;
function decodeCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  const dot = cursor.indexOf(".");
  return { paidAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}

export const listPayments = router().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const filter = {
    zone: q.zone,
    provider: q.provider,
    status: q.status,
    source: q.source,
    paidFromMs: q.from ? Date.parse(q.from) : undefined,
    paidToMs: q.to ? Date.parse(q.to) : undefined,
    settlementDate: q.settlementDate,
  };
  // One row more than asked tells whether another page exists without a count query.
  const rows = await paymentPage(db(c.env.DB), c.get("principal").tenantId, filter, q.limit + 1, decodeCursor(q.cursor));
  const page = rows.slice(0, q.limit);
  const nextCursor = rows.length > q.limit ? encodeCursor(page.at(-1)!) : null;
  return c.json({ data: page.map(presentPayment), nextCursor }, 200);
});
