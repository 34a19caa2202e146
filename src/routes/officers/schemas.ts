import { z } from "@hono/zod-openapi";

export const ShiftSchema = z
  .object({
    id: z.string(),
    officerId: z.string(),
    officerName: z.string().nullable(),
    deviceId: z.string().nullable(),
    zones: z.array(z.string()).nullable(),
    source: z.string().openapi({ example: "ips" }),
    startedAt: z.string(),
    endedAt: z.string().nullable().openapi({ description: "Null while the officer is on shift" }),
    onShift: z.boolean(),
  })
  .openapi("OfficerShift");

export const ListShiftsQuery = z.object({
  open: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "true: only shifts with no end reported (officers on shift now); false: only ended shifts" }),
  officer: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,16}\.shf_[A-Za-z0-9]{20}$/, "Not a cursor from a previous page")
    .optional()
    .openapi({ description: "`nextCursor` of the previous page" }),
});
