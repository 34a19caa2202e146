// The IPS Group verification shape from the Stamford integration guide (docs/sources.md): dollars on the
// wire, cents inside. AIMS lookups answer in the same shape, since their guide documents none.
import { z } from "@hono/zod-openapi";
import type { CheckOutcome } from "../../../../durable/zone-state";
import { dollars } from "../../../vendors/shared/money";
import { iso } from "../../common";

export const IpsVerification = z.object({
  isValid: z.boolean(),
  status: z.string(),
  session: z
    .object({
      id: z.string(),
      startTime: z.string(),
      endTime: z.string(),
      timeRemaining: z.number().int(),
      zone: z.object({ number: z.string(), name: z.string(), ratePerHour: z.number() }),
    })
    .nullable(),
  vehicle: z.object({ licensePlate: z.string(), state: z.string().nullable(), registeredOwner: z.string().nullable() }),
  permits: z.array(z.object({ type: z.string(), number: z.string(), validUntil: z.string() })),
});

export const IpsAdditionalInfo = z.object({
  matchType: z.enum(["exact", "fuzzy"]).nullable(),
  matchedPlate: z.string().nullable(),
  reason: z.string(),
  paymentMethod: z.string().nullable(),
  userPhone: z.string().nullable(),
});

export function ipsVerification(o: CheckOutcome, plate: string, state: string | null) {
  const v = o.verdict;
  return {
    verification: {
      isValid: v.valid,
      status: v.status,
      session: v.session && {
        id: v.session.id,
        startTime: iso(v.session.startMs),
        endTime: iso(v.session.endMs),
        timeRemaining: v.session.secondsRemaining,
        zone: { number: o.zone.code, name: o.zone.name, ratePerHour: dollars(o.zone.rateCentsPerHour) },
      },
      // Curbgate holds no owner records; the field stays for clients that expect it.
      vehicle: { licensePlate: plate, state, registeredOwner: null },
      permits: v.permits.map((p) => ({ type: p.type, number: p.number, validUntil: iso(p.validUntilMs) })),
    },
    enforcementRecommendation: v.enforcementRecommendation,
    additionalInfo: {
      matchType: v.matchType,
      matchedPlate: v.matchedPlate,
      reason: v.reason,
      paymentMethod: null,
      userPhone: null,
    },
  };
}
