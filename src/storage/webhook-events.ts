// D1 record of webhook events and their attempts, kept by the queue consumers for operators.
import { and, asc, count, desc, eq, gte, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { Db } from "./db";
import { deadLetters, webhookAttempts, webhookEvents } from "./schema";

export type WebhookEventRow = typeof webhookEvents.$inferSelect;

/** An accepted delivery as stored: the webhook engine's queue message carries these fields and more. */
export interface EventRecord {
  eventId: string;
  tenantId: string;
  provider: string;
  externalId: string;
  type: string;
  receivedAt: number;
  /** Request headers as received, with secrets and signatures masked. */
  headers: Record<string, string>;
  url: string;
  payload?: string;
  payloadKey?: string;
}

/** What processing an event came to, as operators see it. */
export interface EventOutcome {
  status: "processed" | "unhandled";
  effect?: Record<string, unknown>;
}

const receivedRow = (m: EventRecord, nowMs: number) => ({
  id: m.eventId,
  tenantId: m.tenantId,
  provider: m.provider,
  externalId: m.externalId,
  type: m.type,
  status: "received" as const,
  headers: m.headers,
  url: m.url,
  payload: m.payload ?? null,
  payloadKey: m.payloadKey ?? null,
  attempts: 0,
  receivedAt: m.receivedAt,
  updatedAt: nowMs,
});
// D1 binds at most 100 parameters per statement and a received row binds 13.
const RECEIVED_ROWS_PER_STATEMENT = 7;

/**
 * Records accepted deliveries as "received" while they wait in the queue, so operators can find them
 * and monitoring counts them as backlog; the consumer's first attempt takes each row over. One round
 * trip for the whole batch (the inbox flushes up to 100 events at a time).
 */
export async function recordReceivedMany(database: Db, messages: EventRecord[], nowMs = Date.now()) {
  if (messages.length === 0) return;
  const statements = [];
  for (let at = 0; at < messages.length; at += RECEIVED_ROWS_PER_STATEMENT)
    statements.push(
      database
        .insert(webhookEvents)
        .values(messages.slice(at, at + RECEIVED_ROWS_PER_STATEMENT).map((m) => receivedRow(m, nowMs)))
        .onConflictDoNothing(), // the consumer may have got there first
    );
  await database.batch(statements as [(typeof statements)[0], ...typeof statements]);
}

/**
 * Creates the event row on first sight (or counts another attempt on it) and marks it processing.
 * Returns null when the same vendor event is already recorded under another id: a redelivery that
 * arrived after its inbox forgot the id (30 days) is still processed only once.
 */
export async function startAttempt(database: Db, m: EventRecord, nowMs: number): Promise<WebhookEventRow | null> {
  const inserted = await database
    .insert(webhookEvents)
    .values({
      id: m.eventId,
      tenantId: m.tenantId,
      provider: m.provider,
      externalId: m.externalId,
      type: m.type,
      status: "processing",
      headers: m.headers,
      url: m.url,
      payload: m.payload ?? null,
      payloadKey: m.payloadKey ?? null,
      attempts: 1,
      receivedAt: m.receivedAt,
      updatedAt: nowMs,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return inserted[0];
  const rows = await database
    .update(webhookEvents)
    .set({
      attempts: sql`${webhookEvents.attempts} + 1`,
      updatedAt: nowMs,
      status: sql`CASE WHEN ${webhookEvents.status} IN ('processed', 'unhandled') THEN ${webhookEvents.status} ELSE 'processing' END`,
    })
    .where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId)))
    .returning();
  return rows[0] ?? null;
}

export async function finishAttempt(database: Db, m: EventRecord, attempt: number, startedMs: number, result: EventOutcome) {
  const now = Date.now();
  await database.batch([
    database
      .update(webhookEvents)
      // processedAt is when the effect first happened: a replay re-runs an idempotent handler, and must
      // not make receipt-to-effect look as slow as the operator's replay.
      .set({
        status: result.status,
        effect: result.effect ?? null,
        lastError: null,
        processedAt: sql`COALESCE(${webhookEvents.processedAt}, ${now})`,
        updatedAt: now,
      })
      .where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId))),
    database.insert(webhookAttempts).values({
      id: newId("wha"),
      tenantId: m.tenantId,
      eventId: m.eventId,
      attempt,
      ok: true,
      error: null,
      startedAt: startedMs,
      durationMs: now - startedMs,
    }),
  ]);
}

export async function failAttempt(database: Db, m: EventRecord, attempt: number, startedMs: number, error: string) {
  const now = Date.now();
  await database.batch([
    database
      .update(webhookEvents)
      .set({ status: "failed", lastError: error, updatedAt: now })
      .where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId))),
    database.insert(webhookAttempts).values({
      id: newId("wha"),
      tenantId: m.tenantId,
      eventId: m.eventId,
      attempt,
      ok: false,
      error,
      startedAt: startedMs,
      durationMs: now - startedMs,
    }),
  ]);
}

export async function recordDeadLetter(database: Db, m: EventRecord, attempts: number, lastError: string, nowMs = Date.now()) {
  await database.batch([
    database
      .insert(deadLetters)
      .values({
        id: newId("dlq"),
        tenantId: m.tenantId,
        kind: "webhook",
        refId: m.eventId,
        provider: m.provider,
        attempts,
        lastError,
        failedAt: nowMs,
      })
      .onConflictDoNothing(),
    database
      .update(webhookEvents)
      .set({ status: "dead", lastError, updatedAt: nowMs })
      .where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId))),
  ]);
}

/** An event its inbox could never hand to the queue: recorded as dead with the reason, where operators see and replay it. */
export async function recordDeadEvent(database: Db, m: EventRecord, refusals: number, reason: string, nowMs = Date.now()) {
  const row = { ...receivedRow(m, nowMs), status: "dead" as const, lastError: reason };
  await database.batch([
    database
      .insert(webhookEvents)
      .values(row)
      .onConflictDoUpdate({
        target: webhookEvents.id,
        set: { status: "dead", lastError: reason, payload: row.payload, payloadKey: row.payloadKey, updatedAt: nowMs },
      }),
    database
      .insert(deadLetters)
      .values({
        id: newId("dlq"),
        tenantId: m.tenantId,
        kind: "webhook",
        refId: m.eventId,
        provider: m.provider,
        attempts: refusals,
        lastError: reason,
        failedAt: nowMs,
      })
      .onConflictDoNothing(),
  ]);
}

// How long an accepted event may go without progress before the sweep queues it again: "received"
// and "processing" normally last seconds; "failed" waits for its retry, at most an hour away.
export const STRANDED_AFTER_MS = 10 * 60_000;
const LONGEST_RETRY_MS = 3600_000;

/** Events, across tenants, that a lost queue message or a crashed consumer left without progress (oldest first). */
export function strandedEvents(database: Db, nowMs: number, limit: number, strandedAfterMs = STRANDED_AFTER_MS) {
  const idle = nowMs - strandedAfterMs;
  return database
    .select()
    .from(webhookEvents)
    .where(
      sql`(${webhookEvents.status} IN ('received', 'processing') AND ${webhookEvents.updatedAt} < ${idle}) OR (${webhookEvents.status} = 'failed' AND ${webhookEvents.updatedAt} < ${idle - LONGEST_RETRY_MS})`,
    )
    .orderBy(asc(webhookEvents.updatedAt))
    .limit(limit);
}

/** Notes that the sweep queued these events again, so the next sweep gives them a full bound first. */
export async function touchEvents(database: Db, rows: Pick<WebhookEventRow, "id" | "tenantId">[], nowMs: number) {
  const byTenant = new Map<string, string[]>();
  for (const r of rows) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.id]);
  // D1 binds at most 100 parameters per statement.
  for (const [tenantId, ids] of byTenant)
    for (let at = 0; at < ids.length; at += 90)
      await database
        .update(webhookEvents)
        .set({ updatedAt: nowMs })
        .where(and(eq(webhookEvents.tenantId, tenantId), inArray(webhookEvents.id, ids.slice(at, at + 90))));
}

/** The oldest of a tenant's events not yet processed (received, processing or failed), for monitoring. */
export async function oldestUnprocessed(database: Db, tenantId: string) {
  const [row] = await database
    .select({
      id: webhookEvents.id,
      provider: webhookEvents.provider,
      status: webhookEvents.status,
      receivedAt: webhookEvents.receivedAt,
    })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.tenantId, tenantId), inArray(webhookEvents.status, ["received", "processing", "failed"])))
    .orderBy(asc(webhookEvents.receivedAt))
    .limit(1);
  return row ?? null;
}

/** A tenant's events matching the operator's filters, newest first. */
export function searchEvents(
  database: Db,
  tenantId: string,
  f: { provider?: string; type?: string; status?: WebhookEventRow["status"]; sinceMs?: number; limit: number },
): Promise<WebhookEventRow[]> {
  const where: SQL[] = [eq(webhookEvents.tenantId, tenantId)];
  if (f.provider) where.push(eq(webhookEvents.provider, f.provider));
  if (f.type) where.push(eq(webhookEvents.type, f.type));
  if (f.status) where.push(eq(webhookEvents.status, f.status));
  if (f.sinceMs !== undefined) where.push(gte(webhookEvents.receivedAt, f.sinceMs));
  return database
    .select()
    .from(webhookEvents)
    .where(and(...where))
    .orderBy(desc(webhookEvents.receivedAt))
    .limit(f.limit);
}

export async function findEvent(database: Db, tenantId: string, id: string): Promise<WebhookEventRow | null> {
  const [row] = await database
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.id, id)))
    .limit(1);
  return row ?? null;
}

/** The tenant's events with these ids (those it has), in no particular order: a dead-letter replay's. */
export function findEvents(database: Db, tenantId: string, ids: string[]): Promise<WebhookEventRow[]> {
  return database
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.tenantId, tenantId), inArray(webhookEvents.id, ids)));
}

/** Every attempt at an event, first first. */
export function eventAttempts(database: Db, tenantId: string, eventId: string) {
  return database
    .select()
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.tenantId, tenantId), eq(webhookAttempts.eventId, eventId)))
    .orderBy(asc(webhookAttempts.startedAt));
}

/** How many of a tenant's events each provider has in each status, for monitoring. */
export function eventCounts(
  database: Db,
  tenantId: string,
): Promise<{ provider: string; status: WebhookEventRow["status"]; n: number }[]> {
  return database
    .select({ provider: webhookEvents.provider, status: webhookEvents.status, n: count() })
    .from(webhookEvents)
    .where(eq(webhookEvents.tenantId, tenantId))
    .groupBy(webhookEvents.provider, webhookEvents.status);
}

// Events received since a time whose effect happened: the samples of receipt-to-effect latency.
const settledSince = (tenantId: string, sinceMs: number) =>
  and(eq(webhookEvents.tenantId, tenantId), gte(webhookEvents.receivedAt, sinceMs), isNotNull(webhookEvents.processedAt));
const receiptToEffect = sql<number>`${webhookEvents.processedAt} - ${webhookEvents.receivedAt}`;

/** How many of the tenant's events received since `sinceMs` have had their effect. */
export async function settledCount(database: Db, tenantId: string, sinceMs: number): Promise<number> {
  const [row] = await database.select({ n: count() }).from(webhookEvents).where(settledSince(tenantId, sinceMs));
  return row?.n ?? 0;
}

/**
 * The receipt-to-effect latency at 0-based position `index` among those events, fastest first (a
 * nearest-rank percentile is the one at its rank: no sample cap that would keep only the fastest).
 */
export async function receiptToEffectAt(database: Db, tenantId: string, sinceMs: number, index: number): Promise<number | null> {
  const [row] = await database
    .select({ ms: receiptToEffect })
    .from(webhookEvents)
    .where(settledSince(tenantId, sinceMs))
    .orderBy(receiptToEffect)
    .limit(1)
    .offset(index);
  return row?.ms ?? null;
}
