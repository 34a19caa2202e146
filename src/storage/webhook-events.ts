// D1 record of webhook events and their attempts, kept by the queue consumers for operators.
import { and, eq, sql } from "drizzle-orm";
import type { WebhookMessage } from "../../queues/messages";
import { newId } from "../auth/crypto";
import type { EffectResult } from "../providers/types";
import type { Db } from "./db";
import { deadLetters, webhookAttempts, webhookEvents } from "./schema";

export type WebhookEventRow = typeof webhookEvents.$inferSelect;

const receivedRow = (m: WebhookMessage, nowMs: number) => ({
  id: m.eventId, tenantId: m.tenantId, provider: m.provider, externalId: m.externalId, type: m.type, status: "received" as const,
  headers: m.headers, url: m.url, payload: m.payload ?? null, payloadKey: m.payloadKey ?? null, attempts: 0,
  receivedAt: m.receivedAt, updatedAt: nowMs,
});
// D1 binds at most 100 parameters per statement and a received row binds 13.
const RECEIVED_ROWS_PER_STATEMENT = 7;

/**
 * Records accepted deliveries as "received" while they wait in the queue, so operators can find them
 * and monitoring counts them as backlog; the consumer's first attempt takes each row over. One round
 * trip for the whole batch (the inbox flushes up to 100 events at a time).
 */
export async function recordReceivedMany(database: Db, messages: WebhookMessage[], nowMs = Date.now()) {
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
export async function startAttempt(database: Db, m: WebhookMessage, nowMs: number): Promise<WebhookEventRow | null> {
  const inserted = await database
    .insert(webhookEvents)
    .values({
      id: m.eventId, tenantId: m.tenantId, provider: m.provider, externalId: m.externalId, type: m.type, status: "processing",
      headers: m.headers, url: m.url, payload: m.payload ?? null, payloadKey: m.payloadKey ?? null, attempts: 1,
      receivedAt: m.receivedAt, updatedAt: nowMs,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return inserted[0];
  const rows = await database
    .update(webhookEvents)
    .set({ attempts: sql`${webhookEvents.attempts} + 1`, updatedAt: nowMs, status: sql`CASE WHEN ${webhookEvents.status} IN ('processed', 'unhandled') THEN ${webhookEvents.status} ELSE 'processing' END` })
    .where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId)))
    .returning();
  return rows[0] ?? null;
}

export async function finishAttempt(database: Db, m: WebhookMessage, attempt: number, startedMs: number, result: EffectResult) {
  const now = Date.now();
  await database.batch([
    database
      .update(webhookEvents)
      // processedAt is when the effect first happened: a replay re-runs an idempotent handler, and must
      // not make receipt-to-effect look as slow as the operator's replay.
      .set({ status: result.status, effect: result.effect ?? null, lastError: null, processedAt: sql`COALESCE(${webhookEvents.processedAt}, ${now})`, updatedAt: now })
      .where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId))),
    database.insert(webhookAttempts).values({ id: newId("wha"), tenantId: m.tenantId, eventId: m.eventId, attempt, ok: true, error: null, startedAt: startedMs, durationMs: now - startedMs }),
  ]);
}

export async function failAttempt(database: Db, m: WebhookMessage, attempt: number, startedMs: number, error: string) {
  const now = Date.now();
  await database.batch([
    database.update(webhookEvents).set({ status: "failed", lastError: error, updatedAt: now }).where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId))),
    database.insert(webhookAttempts).values({ id: newId("wha"), tenantId: m.tenantId, eventId: m.eventId, attempt, ok: false, error, startedAt: startedMs, durationMs: now - startedMs }),
  ]);
}

export async function recordDeadLetter(database: Db, m: WebhookMessage, attempts: number, lastError: string, nowMs = Date.now()) {
  await database.batch([
    database
      .insert(deadLetters)
      .values({ id: newId("dlq"), tenantId: m.tenantId, kind: "webhook", refId: m.eventId, provider: m.provider, attempts, lastError, failedAt: nowMs })
      .onConflictDoNothing(),
    database.update(webhookEvents).set({ status: "dead", lastError, updatedAt: nowMs }).where(and(eq(webhookEvents.id, m.eventId), eq(webhookEvents.tenantId, m.tenantId))),
  ]);
}

/** Rebuilds the queue message for a stored event (operator replay). */
export const messageOf = (row: WebhookEventRow, replay = true): WebhookMessage => ({
  v: 1, eventId: row.id, tenantId: row.tenantId, provider: row.provider, externalId: row.externalId, type: row.type,
  receivedAt: row.receivedAt, headers: row.headers, url: row.url ?? "", payload: row.payload ?? undefined,
  payloadKey: row.payloadKey ?? undefined, replay,
});
