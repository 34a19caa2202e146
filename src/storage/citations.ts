// Citations in D1 (schema.ts, citations and citation_transitions). Every change is one D1 batch: the
// citation, its evidence rows, the transition, the event the developer webhooks will publish and the
// audit entry commit together or not at all.
//
// Concurrency: a transition's id is derived from the citation and the version it starts from, so two
// changes that both read version n write the same transition id and the second batch fails on the
// primary key, whole. The UPDATE's `version = n` guard says the same thing a second time.
import { and, desc, eq, gt, gte, inArray, lt, ne, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { stableId } from "../lib/ids";
import { auditInsert, type AuditEntry } from "./audit";
import type { Db } from "./db";
import { type DomainEvent, eventInsert } from "./domain-events";
import { type EvidenceRow, evidenceInsert } from "./evidence";
import { citations, citationTransitions, domainEvents, violationCodes, violations } from "./schema";

export type CitationRow = typeof citations.$inferSelect;
export type CitationTransitionRow = typeof citationTransitions.$inferSelect;

/** Who changed a citation and under which request: "key:<id>", "user:<id>", "system:<part>", "vendor:<id>". */
export interface Actor {
  actor: string;
  requestId: string | null;
}

export async function citationById(database: Db, tenantId: string, id: string): Promise<CitationRow | null> {
  const [row] = await database
    .select()
    .from(citations)
    .where(and(eq(citations.tenantId, tenantId), eq(citations.id, id)))
    .limit(1);
  return row ?? null;
}

/** The citation with this number (numbers are unique per tenant). */
export async function citationByNumber(database: Db, tenantId: string, number: string): Promise<CitationRow | null> {
  const [row] = await database
    .select()
    .from(citations)
    .where(and(eq(citations.tenantId, tenantId), eq(citations.number, number)))
    .limit(1);
  return row ?? null;
}

export interface CitationFilter {
  status?: CitationRow["status"];
  plate?: string;
  zone?: string;
  officerId?: string;
  violationCode?: string;
  /** issuedAt from (inclusive) and to (exclusive), epoch ms. */
  fromMs?: number;
  toMs?: number;
  /** A citation number's beginning, or a normalised plate's beginning. */
  q?: { number: string; plate: string };
}

export interface CitationCursor {
  issuedAt: number;
  id: string;
}

const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** One page of citations, newest issue first; the cursor is the last row of the previous page. */
export function citationPage(database: Db, tenantId: string, f: CitationFilter, limit: number, after?: CitationCursor) {
  const where: SQL[] = [eq(citations.tenantId, tenantId)];
  if (f.status) where.push(eq(citations.status, f.status));
  if (f.plate) where.push(eq(citations.plate, f.plate));
  if (f.zone) where.push(eq(citations.zone, f.zone));
  if (f.officerId) where.push(eq(citations.officerId, f.officerId));
  if (f.violationCode) where.push(eq(citations.violationCode, f.violationCode));
  if (f.fromMs !== undefined) where.push(gte(citations.issuedAt, f.fromMs));
  if (f.toMs !== undefined) where.push(lt(citations.issuedAt, f.toMs));
  if (f.q) {
    const byNumber = sql`${citations.number} LIKE ${likePrefix(f.q.number)} ESCAPE '\\'`;
    where.push(f.q.plate ? or(byNumber, sql`${citations.plate} LIKE ${likePrefix(f.q.plate)} ESCAPE '\\'`)! : byNumber);
  }
  // (issued_at, id) orders citations issued in the same millisecond, so a page boundary never skips one.
  if (after)
    where.push(
      or(lt(citations.issuedAt, after.issuedAt), and(eq(citations.issuedAt, after.issuedAt), lt(citations.id, after.id)))!,
    );
  return database
    .select()
    .from(citations)
    .where(and(...where))
    .orderBy(desc(citations.issuedAt), desc(citations.id))
    .limit(limit);
}

/** A citation's history, oldest first. */
export function transitionsOf(database: Db, tenantId: string, citationId: string) {
  return database
    .select()
    .from(citationTransitions)
    .where(and(eq(citationTransitions.tenantId, tenantId), eq(citationTransitions.citationId, citationId)))
    .orderBy(citationTransitions.at, citationTransitions.id);
}

const transitionId = (c: Pick<CitationRow, "tenantId" | "id">, fromVersion: number) =>
  stableId("ctr", `${c.tenantId}:${c.id}:${fromVersion}`);

/** The text of an error and its causes: drizzle wraps D1's message, which names the constraint. */
function messages(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(" | ");
}

export interface NewCitation extends Actor {
  citation: CitationRow;
  evidence: EvidenceRow[];
  /** The issue's reason: the officer's override reason, when the plate check had to be overridden. */
  reason: string | null;
  event: DomainEvent;
  audits: AuditEntry[];
  /** A violation this citation settles: marked issued and linked, in the same batch. */
  violationId?: string;
}

/**
 * Writes a new citation with everything that belongs to it in one batch. `number_taken`: another
 * citation of the tenant has this number (a concurrent retry); `violation_taken`: the violation was
 * cited by another citation meanwhile. Nothing is written in either case.
 */
export async function insertCitation(database: Db, n: NewCitation): Promise<"inserted" | "number_taken" | "violation_taken"> {
  const c = n.citation;
  const statements: BatchItem<"sqlite">[] = [
    database.insert(citations).values(c),
    database.insert(citationTransitions).values({
      id: await transitionId(c, 0),
      tenantId: c.tenantId,
      citationId: c.id,
      fromStatus: null,
      toStatus: c.status,
      action: "issue",
      reason: n.reason,
      actor: n.actor,
      requestId: n.requestId,
      at: c.createdAt,
    }),
    eventInsert(database, n.event),
    ...n.audits.map((a) => auditInsert(database, a, c.createdAt)),
  ];
  if (n.evidence.length) statements.push(evidenceInsert(database, n.evidence));
  if (n.violationId) {
    statements.push(
      database
        .update(violations)
        .set({ status: "issued", citationId: c.id, updatedAt: c.createdAt })
        .where(and(eq(violations.tenantId, c.tenantId), eq(violations.id, n.violationId), eq(violations.status, "pending"))),
      // One event per violation, under an id derived from it: a second citation of the same violation
      // collides here and its whole batch fails.
      database.insert(domainEvents).values({
        id: await stableId("evt", `${c.tenantId}:violation.issued:${n.violationId}`),
        tenantId: c.tenantId,
        type: "violation.issued",
        subject: n.violationId,
        data: { violationId: n.violationId, citationId: c.id, number: c.number },
        at: c.createdAt,
      }),
    );
  }
  try {
    await database.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    return "inserted";
  } catch (err) {
    const text = messages(err);
    if (/UNIQUE constraint failed: citations\.tenant_id, citations\.number/.test(text)) return "number_taken";
    if (n.violationId && /constraint failed: domain_events\.id/.test(text)) return "violation_taken";
    throw err;
  }
}

export interface CitationChange extends Actor {
  /** The citation as read: its version guards the change. */
  before: CitationRow;
  set: Pick<CitationRow, "status" | "lateFeeCents" | "paidAt" | "escalatedAt" | "collectionsAt">;
  action: string;
  reason: string | null;
  atMs: number;
  event: DomainEvent;
  audit: AuditEntry;
}

/** Applies one lifecycle step; `stale` when the citation changed since it was read (nothing is written). */
export async function saveTransition(database: Db, ch: CitationChange): Promise<"saved" | "stale"> {
  const b = ch.before;
  const statements = [
    database.insert(citationTransitions).values({
      id: await transitionId(b, b.version),
      tenantId: b.tenantId,
      citationId: b.id,
      fromStatus: b.status,
      toStatus: ch.set.status,
      action: ch.action,
      reason: ch.reason,
      actor: ch.actor,
      requestId: ch.requestId,
      at: ch.atMs,
    }),
    database
      .update(citations)
      .set({ ...ch.set, version: b.version + 1, updatedAt: ch.atMs })
      .where(and(eq(citations.tenantId, b.tenantId), eq(citations.id, b.id), eq(citations.version, b.version))),
    eventInsert(database, ch.event),
    auditInsert(database, ch.audit, ch.atMs),
  ];
  try {
    await database.batch(statements as [(typeof statements)[0], ...typeof statements]);
    return "saved";
  } catch (err) {
    if (/constraint failed: citation_transitions\.id/.test(messages(err))) return "stale";
    throw err;
  }
}

// ---- The cron's and the vendors' reads ---------------------------------------------------------

/**
 * Unpaid citations whose violation code escalates and whose days have passed, every tenant's, oldest
 * first. escalationDue (domain) decides each; this only narrows the scan. Escalated citations never
 * qualify again, so a second cron run finds nothing new.
 */
export function escalationCandidates(database: Db, nowMs: number, limit: number) {
  return database
    .select({ tenantId: citations.tenantId, id: citations.id })
    .from(citations)
    .innerJoin(
      violationCodes,
      and(eq(violationCodes.tenantId, citations.tenantId), eq(violationCodes.code, citations.violationCode)),
    )
    .where(
      and(
        or(eq(citations.status, "issued"), eq(citations.status, "upheld")),
        sql`${violationCodes.escalateAfterDays} IS NOT NULL`,
        sql`${citations.issuedAt} + ${violationCodes.escalateAfterDays} * 86400000 <= ${nowMs}`,
      ),
    )
    .orderBy(citations.issuedAt)
    .limit(limit);
}

/** Escalated citations of every tenant, escalated before `beforeMs` (the caller applies each tenant's delay). */
export function escalatedBefore(database: Db, beforeMs: number, limit: number) {
  return database
    .select({ tenantId: citations.tenantId, id: citations.id, escalatedAt: citations.escalatedAt })
    .from(citations)
    .where(and(eq(citations.status, "escalated"), lt(citations.escalatedAt, beforeMs)))
    .orderBy(citations.escalatedAt)
    .limit(limit);
}

/** What a vendor push reads: a tenant's citations by id, or a page of those changed since an instant. */
export interface VendorCitationQuery {
  ids?: string[];
  statuses?: CitationRow["status"][];
  /** createdAt ≥ this (for collections: collectionsAt ≥ this). */
  fromMs?: number;
  by?: "created" | "collections";
  excludeSource?: string;
  after?: { at: number; id: string };
  limit: number;
}

export function citationsForVendors(database: Db, tenantId: string, q: VendorCitationQuery) {
  const at = q.by === "collections" ? citations.collectionsAt : citations.createdAt;
  const where: SQL[] = [eq(citations.tenantId, tenantId)];
  if (q.ids) where.push(inArray(citations.id, q.ids.length ? q.ids : [""]));
  if (q.statuses) where.push(inArray(citations.status, q.statuses));
  if (q.fromMs !== undefined) where.push(gte(at, q.fromMs));
  if (q.excludeSource) where.push(ne(citations.source, q.excludeSource));
  if (q.after) where.push(or(gt(at, q.after.at), and(eq(at, q.after.at), gt(citations.id, q.after.id))) as SQL);
  return database
    .select()
    .from(citations)
    .where(and(...where))
    .orderBy(at, citations.id)
    .limit(q.limit);
}
