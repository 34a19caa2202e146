// Curbgate's worker: one Hono app, its Durable Objects, nothing else. Routes live in src/routes,
// one operation (or one small group) per file.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { authenticate } from "./auth/middleware";
import type { AppEnv } from "./env";
import { notFoundHandler, onError } from "./http/errors";
import { ApiError } from "./http/problem";
import { requestContext } from "./http/request-context";
import { rateLimit } from "./ratelimit/limiter";
import { login } from "./routes/auth/login";
import { devRoutes } from "./routes/dev";
import { mountDocs } from "./routes/docs";
import { health } from "./routes/health";
import { createPermit } from "./routes/permits/create";
import { getPermits } from "./routes/permits/get";
import { revokePermit } from "./routes/permits/revoke";
import { endSession } from "./routes/sessions/end";
import { extendSession } from "./routes/sessions/extend";
import { getSession } from "./routes/sessions/get";
import { listSessions } from "./routes/sessions/list";
import { startSession } from "./routes/sessions/start";
import { aimsLookup } from "./routes/vendor/aims-lookup";
import { ipsVerify } from "./routes/vendor/ips-verify";
import { verify } from "./routes/verify/verify";
import { verifyBatch } from "./routes/verify/verify-batch";
import { createZone } from "./routes/zones/create";
import { getZones } from "./routes/zones/get";
import { updateZone } from "./routes/zones/update";

const MAX_JSON_BODY = 64 * 1024;

const app = new OpenAPIHono<AppEnv>();
app.onError(onError);
app.notFound(notFoundHandler);
app.use("*", requestContext);
app.use("*", bodyLimit({ maxSize: MAX_JSON_BODY, onError: () => { throw new ApiError(413, `Bodies are limited to ${MAX_JSON_BODY} bytes`); } }));

// Open routes.
app.route("/", health);
app.route("/", login);
app.route("/", devRoutes);
mountDocs(app);

// Everything below needs a credential, and is rate limited per credential.
for (const prefix of ["/v1/*", "/api/ips/*", "/api/aims/*"]) app.use(prefix, authenticate, rateLimit);

const routes = [
  verify, verifyBatch,
  startSession, extendSession, endSession, getSession, listSessions,
  getZones, createZone, updateZone,
  getPermits, createPermit, revokePermit,
  ipsVerify, aimsLookup,
];
for (const r of routes) app.route("/", r);

export default app;
export { ZoneState } from "../durable/zone-state";
export { RateLimiter } from "../durable/rate-limiter";
