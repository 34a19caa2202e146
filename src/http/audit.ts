// A route's audit entry: who (the request's principal) did what, under which request id. Written after
// the response (waitUntil), so no route waits on D1 for it.
import type { Context } from "hono";
import { actorOf } from "../auth/principal";
import type { AppEnv } from "../env";
import { recordAudit } from "../storage/audit";

export function audit(c: Context<AppEnv>, action: string, target: string | null, detail?: unknown) {
  const p = c.get("principal");
  c.executionCtx.waitUntil(
    recordAudit(c.env, { tenantId: p.tenantId, actor: actorOf(p), action, target, detail, requestId: c.get("requestId") }),
  );
}
