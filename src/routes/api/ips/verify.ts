import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { callZone } from "../../../storage/zone-state";
import { bearer, errors, Instant, json, jsonBody, Plate, UsState, ZoneCode } from "../../common";
import { IpsAdditionalInfo, IpsVerification, ipsVerification } from "./shape";

const IpsVerifyRequest = z
  .object({
    requestId: z.string().min(1).max(128),
    timestamp: Instant,
    licensePlate: Plate,
    state: UsState.optional(),
    location: z.object({
      zoneNumber: ZoneCode,
      latitude: z.number().min(-90).max(90).optional(),
      longitude: z.number().min(-180).max(180).optional(),
      address: z.string().max(500).optional(),
    }),
    officerId: z.string().max(128).optional(),
    deviceId: z.string().max(128).optional(),
  })
  .openapi("IpsVerifyRequest");

// The Stamford integration guide (docs/sources.md) documents exactly these two additionalInfo fields;
// match details stay on /v1/verify and AIMS.
const IpsVerifyAdditionalInfo = IpsAdditionalInfo.pick({ paymentMethod: true, userPhone: true });

const IpsVerifyResponse = z
  .object({
    requestId: z.string(),
    timestamp: z.string(),
    verification: IpsVerification,
    enforcementRecommendation: z.enum(["NO_ACTION", "WARN", "CITE"]),
    additionalInfo: IpsVerifyAdditionalInfo,
  })
  .openapi("IpsVerifyResponse");

const route = createRoute({
  method: "post",
  path: "/verify",
  tags: ["Vendor: IPS Group"],
  summary: "IPS Group real-time licence plate verification (the Stamford guide's shape)",
  description: "The plate is judged at the request's `timestamp`, the moment the officer saw the car.",
  security: bearer,
  middleware: [requireScope("verify:read")] as const,
  request: { body: jsonBody(IpsVerifyRequest) },
  responses: { 200: json(IpsVerifyResponse, "Verification in IPS shape (dollars)"), ...errors(404) },
});

export const ipsVerify = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const plate = body.licensePlate;
  const state = body.state ?? null;
  const atMs = Date.parse(body.timestamp);
  const zone = body.location.zoneNumber;
  const outcome = await callZone(c.env, c.get("principal").tenantId, zone, (s) => s.check({ plate, state }, atMs));
  const { additionalInfo, ...verdict } = ipsVerification(outcome, plate, state);
  const { paymentMethod, userPhone } = additionalInfo;
  return c.json(
    { requestId: body.requestId, timestamp: body.timestamp, ...verdict, additionalInfo: { paymentMethod, userPhone } },
    200,
  );
});
