// Citations a push hands to an enforcement or collections vendor (AIMS, Duncan), in Curbgate's terms:
// money in integer cents, plates normalised, instants in ISO 8601. Curbgate keeps no citation records of
// its own yet, so the job names the citations in params.citations; each connector turns
// them into its vendor's shape.
import { z } from "zod";
import { normalizePlate } from "../../domain/plates";
import { ProviderCallError } from "../../lib/vendor-call-error";
import { invalidParams } from "../../sync/params";

export const MAX_CITATIONS = 100;

const Citation = z.object({
  citationNumber: z.string().regex(/^[A-Z0-9-]{4,40}$/, "4-40 upper-case letters, digits or dashes"),
  plate: z
    .string()
    .transform(normalizePlate)
    .pipe(z.string().regex(/^[A-Z0-9]{1,20}$/, "1-20 letters or digits")),
  state: z.string().regex(/^[A-Z]{2,3}$/, "two or three upper-case letters"),
  zone: z.string().min(1).max(20),
  violationCode: z.string().min(1).max(20),
  description: z.string().max(200).optional(),
  fineCents: z.number().int().min(0).max(10_000_000),
  /** What the driver owes now (fine plus late penalties); default: the fine. */
  amountDueCents: z.number().int().min(1).max(10_000_000).optional(),
  issuedAt: z.iso.datetime({ offset: true }),
  address: z.string().max(200).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  officer: z
    .object({ id: z.string().min(1).max(40), name: z.string().max(100).optional(), badge: z.string().max(40).optional() })
    .optional(),
  noticesSent: z.number().int().min(0).max(100).optional(),
});
export type CitationInput = z.infer<typeof Citation>;

const Citations = z
  .array(Citation)
  .min(1)
  .max(MAX_CITATIONS)
  .refine((list) => new Set(list.map((c) => c.citationNumber)).size === list.length, "a citationNumber appears twice");

/** params.citations, checked; a bad one fails the job at once with the first problem named. */
export function citationsParam(params: Record<string, unknown>): CitationInput[] {
  const parsed = Citations.safeParse(params.citations);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw invalidParams(
    `citations${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${issue.message}`,
  );
}

/** Sends each citation in turn; a 409 (the vendor already holds that citation number) counts as done. */
export async function sendEach(
  citations: CitationInput[],
  send: (c: CitationInput) => Promise<string>,
): Promise<{ ids: string[]; alreadyHeld: string[] }> {
  const ids: string[] = [];
  const alreadyHeld: string[] = [];
  for (const c of citations) {
    try {
      ids.push(await send(c));
    } catch (err) {
      if (!(err instanceof ProviderCallError && err.status === 409)) throw err;
      alreadyHeld.push(c.citationNumber);
    }
  }
  return { ids, alreadyHeld };
}
