import { createRoute } from "@hono/zod-openapi";
import { newId, randomToken } from "../../lib/ids";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { db } from "../../storage/db";
import { insertPermit, syncPermitToZones } from "../../storage/permits";
import { knownZoneCodes } from "../../storage/zones";
import { bearer, errors, json, jsonBody } from "../common";
import { presentPermit } from "./present";
import { CreatePermit, PermitSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Permits"],
  summary: "Issue a permit; it counts in the very next plate check of each zone it covers",
  security: bearer,
  middleware: [requireScope("permits:write")] as const,
  request: { body: jsonBody(CreatePermit) },
  responses: { 201: json(PermitSchema, "Issued"), ...errors(409) },
});

const invalid = (path: string, message: string) => new ApiError(422, message, { errors: [{ location: "body", path, message }] });

export const createPermit = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const now = Date.now();
  const validFrom = body.validFrom ? Date.parse(body.validFrom) : now;
  const validUntil = Date.parse(body.validUntil);
  if (validUntil <= validFrom) throw invalid("validUntil", "Must be after validFrom");
  const codes = [...new Set(body.zones)];
  const database = db(c.env.DB);
  const known = await knownZoneCodes(database, tenantId, codes);
  const missing = codes.filter((z) => !known.some((k) => k.code === z));
  if (missing.length) throw invalid("zones", `Unknown zone(s): ${missing.join(", ")}`);

  const number = body.number ?? `${body.type.slice(0, 3)}-${new Date(now).getUTCFullYear()}-${randomToken(6).toUpperCase()}`;
  const row = await insertPermit(
    database,
    {
      id: newId("prm"),
      tenantId,
      plate: body.plate,
      state: body.state ?? null,
      type: body.type,
      number,
      zones: codes,
      validFrom,
      validUntil,
    },
    now,
  );
  if (!row) throw new ApiError(409, `Permit number ${number} is already in use`);
  await syncPermitToZones(c.env, row);
  audit(c, "permit.create", row.id, { plate: row.plate, zones: codes });
  return c.json(presentPermit(row), 201);
});
