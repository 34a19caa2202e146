// Security-relevant actions. Routes write them after the response (src/http/audit.ts, waitUntil) so
// no request waits on them; a change that must not exist without its entry (a citation's lifecycle)
// puts auditInsert in its own D1 batch instead.
import { newId } from "../lib/ids";
import { log } from "../lib/log";
import type { Bindings } from "../env";
import { db, type Db } from "./db";
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

/** The insert, not yet run: for a change whose audit entry must commit with it, in one D1 batch. */
export const auditInsert = (database: Db, e: AuditEntry, atMs = Date.now()) =>
  database.insert(auditLog).values({
    id: newId("aud"),
    tenantId: e.tenantId,
    actor: e.actor,
    action: e.action,
    target: e.target,
    detail: e.detail ?? null,
    requestId: e.requestId ?? null,
    at: atMs,
  });

/** Inserts one entry; rejects when D1 does. */
export function insertAudit(database: Db, e: AuditEntry, atMs = Date.now()): Promise<void> {
  return auditInsert(database, e, atMs).then(() => undefined);
}

/** Writes one entry; a failed write is logged, never thrown. */
export function recordAudit(env: Bindings, e: AuditEntry): Promise<void> {
  return insertAudit(db(env.DB), e).then(
    () => undefined,
    (err: unknown) => log.error("audit write failed", { action: e.action, error: String(err) }),
  );
}
