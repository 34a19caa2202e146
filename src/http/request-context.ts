// Every response carries a request id (the caller's X-Request-Id if sane, else a new one), and every
// request leaves one structured JSON log line.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { log } from "../lib/log";

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", requestId);
  const started = Date.now();
  await next();
  c.res.headers.set("X-Request-Id", requestId);
  const level = c.res.status >= 500 ? "error" : "info";
  const threshold = LEVELS[(c.env.LOG_LEVEL as keyof typeof LEVELS) ?? "info"] ?? LEVELS.info;
  if (LEVELS[level] >= threshold) {
    const p = c.get("principal");
    log[level]("request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Date.now() - started,
      tenant: p?.tenantId,
      principal: p ? `${p.kind}:${p.id}` : undefined,
    });
  }
});
