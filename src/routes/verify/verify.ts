import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json, jsonBody } from "../common";
import { presentVerdict } from "./present";
import { VerdictSchema, VerifyRequest } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Plate checks"],
  summary: "Is this plate paid or permitted in this zone right now?",
  security: bearer,
  middleware: [requireScope("verify:read")] as const,
  request: { body: jsonBody(VerifyRequest) },
  responses: { 200: json(VerdictSchema, "The verdict"), ...errors(404) },
});

export const verify = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const query = { plate: body.plate, state: body.state ?? null };
  const atMs = body.at ? Date.parse(body.at) : Date.now();
  const zone = body.zone;
  const outcome = await callZone(c.env, c.get("principal").tenantId, zone, (s) => s.check(query, atMs));
  return c.json(presentVerdict(outcome, { ...query, atMs }), 200);
});
