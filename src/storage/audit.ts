// Security-relevant actions, written after the response (waitUntil) so no route waits on them.
import type { Context } from "hono";
import { actorOf } from "../auth/principal";
import { newId } from "../lib/ids";
import { log } from "../lib/log";
import type { AppEnv, Bindings } from "../env";
import { db } from "./db";
import { auditLog } from "./schema";

export interface AuditEntry {
  tenantId: string;
  /** "key:<id>", "user:<id>", or "system:<part>" for work no request asked for (a token refresh). */
  actor: string;
  action: string;
  target: string | null;
  detail?: unknown;
  requestId?: string | null;
}

/** Writes one entry; a failed write is logged, never thrown. */
export function recordAudit(env: Bindings, e: AuditEntry): Promise<void> {
  return db(env.DB)
    .insert(auditLog)
    .values({ id: newId("aud"), tenantId: e.tenantId, actor: e.actor, action: e.action, target: e.target, detail: e.detail ?? null, requestId: e.requestId ?? null, at: Date.now() })
    .then(
      () => undefined,
      (err: unknown) => log.error("audit write failed", { action: e.action, error: String(err) }),
    );
}

export function audit(c: Context<AppEnv>, action: string, target: string | null, detail?: unknown) {
  const p = c.get("principal");
  c.executionCtx.waitUntil(recordAudit(c.env, { tenantId: p.tenantId, actor: actorOf(p), action, target, detail, requestId: c.get("requestId") }));
}
