import { z } from "@hono/zod-openapi";
import { DEFAULT_HOLD_MINUTES, MAX_LEAD_MINUTES, RESERVATION_ID_PATTERN } from "../../domain/reservations";
import { Instant, Plate, UsState } from "../common";

export const ReservationId = z
  .string()
  .regex(RESERVATION_ID_PATTERN, "Not a reservation id")
  .openapi({ param: { name: "id", in: "path" }, example: "res_G1_4Fh8kPq2xZt9mWc3bNv7" });
export const ReservationIdParams = z.object({ id: ReservationId });
/** The zone in the path, as the zone routes read it. */
export { ZoneCodeParams as ZoneParams } from "../zones/schemas";

const Status = z.enum(["held", "confirmed", "released", "lapsed"]);

export const HoldSpace = z
  .object({
    plate: Plate,
    state: UsState.optional(),
    from: Instant.optional().openapi({
      description: `When the reserved window starts; defaults to now, at most ${MAX_LEAD_MINUTES} minutes ahead. The space is held from the moment the reservation is granted.`,
    }),
    minutes: z.number().int().positive().max(10_080),
  })
  .openapi("HoldSpace");

export const ConfirmReservation = z
  .object({
    paymentId: z.string().min(1).max(64).optional().openapi({ description: "The ledger payment's id (pay_…)" }),
    provider: z.string().min(1).max(40).optional().openapi({ example: "paystack" }),
    reference: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .openapi({ description: "The provider's transaction id or reference, with `provider`" }),
  })
  .refine((b) => (b.paymentId !== undefined) !== (b.provider !== undefined && b.reference !== undefined), {
    message: "Name the payment by paymentId, or by provider and reference (not both)",
    path: ["paymentId"],
  })
  .openapi("ConfirmReservation");

export const ReservationSchema = z
  .object({
    id: z.string(),
    zone: z.string(),
    plate: z.string(),
    state: z.string().nullable(),
    status: Status,
    from: z.string(),
    until: z.string(),
    minutes: z.number().int(),
    priceCents: z.number().int(),
    currency: z.literal("USD"),
    holdExpiresAt: z.string().openapi({
      description: `A held reservation lapses then unless paid (${DEFAULT_HOLD_MINUTES} minutes after it is granted, or when its window ends if sooner)`,
    }),
    holdsSpace: z.boolean().openapi({ description: "Whether it counts against the zone's capacity now" }),
    paymentId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Reservation");

export const ZoneUsage = z
  .object({
    capacity: z.number().int().nullable(),
    occupied: z.number().int().openapi({ description: "Spaces occupied now, as the zone's occupancy counts them" }),
    held: z.number().int(),
    confirmed: z.number().int().openapi({ description: "Confirmed reservations whose window has not ended" }),
    free: z.number().int(),
  })
  .openapi("ZoneReservationUsage");

export const ListQuery = z.object({
  status: Status.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
