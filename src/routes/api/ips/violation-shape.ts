// What POST /api/ips/violations answers. The Stamford integration guide (docs/sources.md) shows the
// request but no response, so this is Curbgate's choice (docs/enforcement.md, "Violations"): what was
// recorded, in IPS's words (dollars, IPS's field names, upper-case status), with each evidence item's copy.
import { z } from "@hono/zod-openapi";
import type { EvidenceRow } from "../../../storage/evidence";
import type { ViolationRow } from "../../../storage/violations";
import { dollars } from "../../../vendors/shared/money";
import { ipsStatusOf } from "../../../vendors/ips/violation";
import { iso } from "../../common";

const IpsEvidenceRecorded = z.object({
  id: z.string(),
  type: z.string().openapi({ example: "PHOTO" }),
  url: z.string().nullable(),
  stored: z.boolean().openapi({ description: "Copied into Curbgate's storage" }),
  contentType: z.string().nullable().openapi({ description: "By the bytes' magic number" }),
  bytes: z.number().int().nullable(),
  sha256: z.string().nullable().openapi({ description: "Hex SHA-256 of the stored bytes, for chain of custody" }),
  reason: z.string().nullable().openapi({ description: "Why it could not be copied" }),
});

export const IpsViolationRecorded = z
  .object({
    violationId: z.string(),
    id: z.string().openapi({ description: "Curbgate's id: GET /v1/violations/{id}" }),
    status: z.enum(["PENDING", "ISSUED", "CANCELLED"]),
    recordedAt: z.string(),
    updatedAt: z.string(),
    timestamp: z.string(),
    licensePlate: z.string(),
    state: z.string().nullable(),
    zoneNumber: z.string(),
    violationType: z.string(),
    fineAmount: z.number().nullable().openapi({ description: "Dollars" }),
    officerId: z.string().nullable(),
    deviceId: z.string().nullable(),
    evidence: z.array(IpsEvidenceRecorded),
  })
  .openapi("IpsViolationRecorded");

export const ipsEvidence = (e: EvidenceRow) => ({
  id: e.id,
  type: e.kind,
  url: e.sourceUrl,
  stored: e.copyStatus === "stored",
  contentType: e.contentType,
  bytes: e.bytes,
  sha256: e.sha256,
  reason: e.copyError,
});

export const ipsViolationRecorded = (v: ViolationRow, evidence: EvidenceRow[]) => ({
  violationId: v.externalId ?? v.id,
  id: v.id,
  status: ipsStatusOf(v.status),
  recordedAt: iso(v.createdAt),
  updatedAt: iso(v.updatedAt),
  timestamp: iso(v.observedAt),
  licensePlate: v.plate,
  state: v.state,
  zoneNumber: v.zone,
  violationType: v.violationType,
  fineAmount: v.fineCents === null ? null : dollars(v.fineCents),
  officerId: v.officerId,
  deviceId: v.deviceId,
  evidence: evidence.map(ipsEvidence),
});
