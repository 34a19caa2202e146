import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { notFound } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { evidenceOf } from "../../storage/evidence";
import { findViolation } from "../../storage/violations";
import { bearer, errors, json } from "../common";
import { presentViolation } from "./present";
import { ViolationIdParams, ViolationSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Violations"],
  summary: "One violation, with its evidence",
  security: bearer,
  middleware: [requireScope("violations:read")] as const,
  request: { params: ViolationIdParams },
  responses: { 200: json(ViolationSchema, "The violation"), ...errors(404) },
});

export const getViolation = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const row = await findViolation(database, tenantId, c.req.valid("param").id);
  if (!row) throw notFound("Violation");
  const evidence = await evidenceOf(database, { tenantId, kind: "violation", id: row.id });
  return c.json(presentViolation(row, evidence), 200);
});
