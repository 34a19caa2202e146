// /v1/violation-codes: the city's table of violation codes, fines and escalation. Citations take their
// fine from it; changing a code changes future citations only.
import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../http/audit";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findViolationCode, listViolationCodes, putViolationCode } from "../../storage/violation-codes";
import { bearer, errors, json, jsonBody } from "../common";
import { CodeParams, presentViolationCode, PutViolationCode, ViolationCodeSchema } from "./schemas";

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["Citations"],
  summary: "The tenant's violation codes, by code",
  security: bearer,
  middleware: [requireScope("citations:read")] as const,
  request: {
    query: z.object({
      active: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "Only codes that may be cited (true) or retired ones" }),
    }),
  },
  responses: { 200: json(z.object({ data: z.array(ViolationCodeSchema) }), "The codes"), ...errors() },
});

const put = createRoute({
  method: "put",
  path: "/{code}",
  tags: ["Citations"],
  summary: "Create or change one violation code",
  description: "Citations already issued keep their fine; escalation reads the code's days and late fee when it runs.",
  security: bearer,
  middleware: [requireScope("enforcement:admin")] as const,
  request: { params: CodeParams, body: jsonBody(PutViolationCode) },
  responses: {
    200: json(ViolationCodeSchema, "Changed"),
    201: json(ViolationCodeSchema, "Created"),
    ...errors(),
  },
});

export const violationCodes = router()
  .openapi(list, async (c) => {
    const { active } = c.req.valid("query");
    const rows = await listViolationCodes(
      db(c.env.DB),
      c.get("principal").tenantId,
      active === undefined ? undefined : active === "true",
    );
    return c.json({ data: rows.map(presentViolationCode) }, 200);
  })
  .openapi(put, async (c) => {
    const { code } = c.req.valid("param");
    const body = c.req.valid("json");
    const tenantId = c.get("principal").tenantId;
    const database = db(c.env.DB);
    const before = await findViolationCode(database, tenantId, code);
    const row = await putViolationCode(database, tenantId, { code, ...body }, Date.now());
    audit(c, "violation_code.put", code, {
      before: before ? presentViolationCode(before) : null,
      after: presentViolationCode(row),
    });
    return c.json(presentViolationCode(row), before ? 200 : 201);
  });
