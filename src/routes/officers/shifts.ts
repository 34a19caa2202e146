import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { type ShiftRow, shiftPage } from "../../storage/officer-shifts";
import { bearer, errors, iso, json } from "../common";
import { ListShiftsQuery, ShiftSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/shifts",
  tags: ["Officers"],
  summary: "Officers' shifts as the enforcement vendor reported them (latest start first); ?open=true for who is on shift now",
  description:
    "Recorded from IPS's enforcement.start_shift and enforcement.end_shift webhooks. Pass `nextCursor` from one page as `cursor` to get the next.",
  security: bearer,
  middleware: [requireScope("violations:read")] as const,
  request: { query: ListShiftsQuery },
  responses: {
    200: json(z.object({ data: z.array(ShiftSchema), nextCursor: z.string().nullable() }), "A page of shifts"),
    ...errors(),
  },
});

const present = (s: ShiftRow) => ({
  id: s.id,
  officerId: s.officerId,
  officerName: s.officerName,
  deviceId: s.deviceId,
  zones: s.zones ?? null,
  source: s.source,
  startedAt: iso(s.startedAt),
  endedAt: s.endedAt === null ? null : iso(s.endedAt),
  onShift: s.endedAt === null,
});

function decodeCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  const dot = cursor.indexOf(".");
  return { startedAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}

export const listShifts = router().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const open = q.open === "true" ? true : q.open === "false" ? false : undefined;
  const rows = await shiftPage(
    db(c.env.DB),
    c.get("principal").tenantId,
    { open, officerId: q.officer },
    q.limit + 1,
    decodeCursor(q.cursor),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? `${last.startedAt}.${last.id}` : null;
  return c.json({ data: page.map(present), nextCursor }, 200);
});
