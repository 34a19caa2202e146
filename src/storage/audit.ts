// Security-relevant actions, written after the response (waitUntil) so no route waits on them.
import type { Context } from "hono";
import { actorOf } from "../auth/principal";
import { newId } from "../auth/crypto";
import type { AppEnv } from "../env";
import { db } from "./db";
import { auditLog } from "./schema";

export function audit(c: Context<AppEnv>, action: string, target: string | null, detail?: unknown) {
  const p = c.get("principal");
  const write = db(c.env.DB)
    .insert(auditLog)
    .values({ id: newId("aud"), tenantId: p.tenantId, actor: actorOf(p), action, target, detail: detail ?? null, requestId: c.get("requestId"), at: Date.now() })
    .then(
      () => undefined,
      (err: unknown) => console.error(JSON.stringify({ level: "error", msg: "audit write failed", action, error: String(err) })),
    );
  c.executionCtx.waitUntil(write);
}
