import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { ApiError, fieldErrors } from "../../../http/problem";
import { router } from "../../../http/router";
import { callZone } from "../../../storage/zone-state";
import { bearer, errors, Instant, iso, json, Plate, UsState, ZoneCode } from "../../common";
import { IpsAdditionalInfo, IpsVerification, ipsVerification } from "../ips/shape";

// AIMS handhelds send this JSON with the GET (the Stamford integration guide, docs/sources.md); it is
// optional and only `timestamp` matters to the verdict.
const AimsContext = z.object({
  officerId: z.string().max(128).optional(),
  deviceId: z.string().max(128).optional(),
  location: z
    .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
    .partial()
    .optional(),
  timestamp: Instant.optional(),
});

const AimsLookupResponse = z
  .object({
    licensePlate: z.string(),
    state: z.string().nullable(),
    zone: z.string(),
    timestamp: z.string(),
    verification: IpsVerification,
    enforcementRecommendation: z.enum(["NO_ACTION", "WARN", "CITE"]),
    additionalInfo: IpsAdditionalInfo,
  })
  .openapi("AimsLookupResponse");

const route = createRoute({
  method: "get",
  path: "/lookup/{licensePlate}",
  tags: ["Vendor: AIMS"],
  summary: "AIMS mobile enforcement plate lookup (the Stamford guide's shape)",
  description:
    "AIMS devices may send `{officerId, deviceId, location, timestamp}` as a JSON body with the GET; `timestamp`, when present, is the moment judged. The answer uses the IPS verification shape, since the AIMS guide documents no response.",
  security: bearer,
  middleware: [requireScope("verify:read")] as const,
  request: {
    params: z.object({ licensePlate: Plate.openapi({ param: { name: "licensePlate", in: "path" } }) }),
    query: z.object({ state: UsState.optional(), zone: ZoneCode }),
  },
  responses: { 200: json(AimsLookupResponse, "Verification in IPS shape (dollars)"), ...errors(404) },
});

export const aimsLookup = router().openapi(route, async (c) => {
  const { licensePlate: plate } = c.req.valid("param");
  const q = c.req.valid("query");
  const context = await optionalJsonBody(c.req.raw);

  const state = q.state ?? null;
  const atMs = context.timestamp ? Date.parse(context.timestamp) : Date.now();
  const zone = q.zone;
  const outcome = await callZone(c.env, c.get("principal").tenantId, zone, (s) => s.check({ plate, state }, atMs));
  return c.json({ licensePlate: plate, state, zone, timestamp: iso(atMs), ...ipsVerification(outcome, plate, state) }, 200);
});

async function optionalJsonBody(req: Request): Promise<z.infer<typeof AimsContext>> {
  const text = req.body ? await req.text() : "";
  if (!text.trim()) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiError(400, "The request body is not valid JSON");
  }
  const parsed = AimsContext.safeParse(raw);
  if (!parsed.success) throw new ApiError(422, "Some fields are invalid", { errors: fieldErrors("body", parsed.error.issues) });
  return parsed.data;
}
