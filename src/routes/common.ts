// Schemas and response declarations shared by every route; the OpenAPI document is built from these.
import { z } from "@hono/zod-openapi";
import { normalizePlate, normalizeState } from "../domain/plates";
import { DAYS } from "../domain/types";

/** A plate as sent, validated but not normalised: for the few answers that echo what the caller typed. */
export const PlateText = z
  .string()
  .min(1)
  .max(20)
  // Judged after normalisation, so plates typed on full-width keyboards (ＡＢＣ１２３) are accepted like ABC123.
  .refine((s) => normalizePlate(s) !== "", "A plate needs at least one letter or digit")
  .openapi({ example: "ABC123", description: "Licence plate; case, spaces and dashes are ignored" });
// The one place an API plate is normalised: handlers, the zone object and storage see "ABC123" only.
export const Plate = PlateText.transform(normalizePlate);
export const UsState = z
  .string()
  .regex(/^[A-Za-z]{2,3}$/, "Two or three letters, e.g. CT")
  .transform((s) => normalizeState(s) as string)
  .openapi({ example: "CT", description: "Issuing state or province" });
export const ZoneCode = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,16}$/, "1–16 letters, digits or dashes")
  .transform((s) => s.toUpperCase())
  .openapi({ example: "A1" });
export const Instant = z.iso.datetime({ offset: true }).openapi({ example: "2026-11-23T15:00:00Z" });
export const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "HH:MM, 00:00–24:00");
export const Day = z.enum(DAYS);

export const FieldErrorSchema = z.object({
  location: z.enum(["body", "query", "path", "header"]),
  path: z.string(),
  message: z.string(),
});
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error responses every authenticated route can give, plus any the route adds. */
export function errors(...extra: (404 | 409 | 413 | 415)[]) {
  const all = {
    401: problem("Missing, unknown or expired credential"),
    403: problem("The credential lacks the required scope"),
    422: problem("Validation failed; `errors` lists each field"),
    429: problem("Rate limit exceeded; see Retry-After"),
  } as Record<number, ReturnType<typeof problem>>;
  if (extra.includes(404)) all[404] = problem("Not found (or not yours)");
  if (extra.includes(409)) all[409] = problem("Conflicts with the current state");
  if (extra.includes(413)) all[413] = problem("Body too large");
  if (extra.includes(415)) all[415] = problem("Content of a type that is not accepted, judged by its bytes");
  return all;
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const bearer = [{ bearer: [] as string[] }];

export const iso = (ms: number) => new Date(ms).toISOString();
