import { z } from "@hono/zod-openapi";
import type { ViolationCodeRow } from "../../storage/violation-codes";
import { iso } from "../common";
import { ViolationCodeText } from "../citations/schemas";

const Cents = z.number().int().min(0).max(10_000_000);

export const PutViolationCode = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "Expired meter" }),
    fineCents: Cents.openapi({ example: 2500 }),
    escalateAfterDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .nullable()
      .openapi({ example: 30, description: "Days after issue an unpaid citation escalates; null: never" }),
    lateFeeCents: Cents.default(0).openapi({ example: 1500, description: "Added once when a citation escalates" }),
    active: z.boolean().default(true).openapi({ description: "A retired code (false) can no longer be cited" }),
  })
  .openapi("PutViolationCode");

export const ViolationCodeSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    fineCents: z.number().int(),
    escalateAfterDays: z.number().int().nullable(),
    lateFeeCents: z.number().int(),
    active: z.boolean(),
    updatedAt: z.string(),
  })
  .openapi("ViolationCode");

export const CodeParams = z.object({
  code: ViolationCodeText.openapi({ param: { name: "code", in: "path" }, example: "PKG-001" }),
});

export const presentViolationCode = (r: ViolationCodeRow) => ({
  code: r.code,
  name: r.name,
  fineCents: r.fineCents,
  escalateAfterDays: r.escalateAfterDays,
  lateFeeCents: r.lateFeeCents,
  active: r.active,
  updatedAt: iso(r.updatedAt),
});
