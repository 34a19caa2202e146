// IPS Group's violation report (the Stamford integration guide's "Violation Reporting", docs/sources.md),
// accepted verbatim. The violationId is IPS's own id for the violation: the first report creates it
// (201); the same report again changes nothing and answers the record as it stands (200,
// Idempotent-Replayed: true); a report with other content updates the record, as IPS's
// violation.updated webhook would (200). docs/enforcement.md, "Violations".
import { createRoute } from "@hono/zod-openapi";
import { recordViolation } from "../../../effects/violations";
import { audit } from "../../../http/audit";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { ipsViolationSchema, reportOf } from "../../../vendors/ips/violation";
import { bearer, errors, json, jsonBody, Plate, UsState, ZoneCode } from "../../common";
import { IpsViolationRecorded, ipsViolationRecorded } from "./violation-shape";

const IpsViolationRequest = ipsViolationSchema({ plate: Plate, state: UsState, zone: ZoneCode }).openapi("IpsViolationRequest");

const route = createRoute({
  method: "post",
  path: "/violations",
  tags: ["Vendor: IPS Group"],
  summary: "IPS Group violation report (the Stamford guide's shape); evidence URLs are copied into Curbgate's storage",
  description:
    "Idempotent on `violationId`: the same report again answers 200 with the record unchanged (`Idempotent-Replayed: true`); " +
    "a report with other content updates the record (200). Evidence that cannot be fetched is kept with `stored: false` and the reason.",
  security: bearer,
  middleware: [requireScope("violations:write")] as const,
  request: { body: jsonBody(IpsViolationRequest) },
  responses: {
    201: json(IpsViolationRecorded, "Recorded"),
    200: json(IpsViolationRecorded, "Already recorded: unchanged (Idempotent-Replayed: true), or updated"),
    ...errors(),
  },
});

export const ipsViolations = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const r = await recordViolation(c.env, tenantId, reportOf(body), Date.now(), { zoneField: "location.zoneNumber" });
  const answer = ipsViolationRecorded(r.violation, r.evidence);
  if (r.outcome === "unchanged") {
    c.header("Idempotent-Replayed", "true");
    return c.json(answer, 200);
  }
  audit(c, r.outcome === "created" ? "violation.create" : "violation.update", r.violation.id, {
    source: "ips",
    externalId: body.violationId,
    ...(r.changed.length ? { changed: r.changed } : {}),
  });
  return r.outcome === "created" ? c.json(answer, 201) : c.json(answer, 200);
});
