// Events: what happened to a tenant's records ("citation.issued", "citation.paid", "violation.created",
// "meter.alert", …), kept for the developer webhooks to publish. An event is written in the same D1 batch
// as the change it describes (eventInsert returns the statement), so neither exists without the other.
import { and, desc, eq, lt } from "drizzle-orm";
import { newId } from "../lib/ids";
import { db, type Db } from "./db";
import { domainEvents } from "./schema";

export interface DomainEvent {
  tenantId: string;
  type: string;
  subject: string;
  data: unknown;
  at: number;
}

/** The insert, not yet run: put it in the batch that makes the change. */
export const eventInsert = (database: Db, e: DomainEvent) =>
  database.insert(domainEvents).values({ id: newId("evt"), ...e, data: e.data ?? null });

/**
 * Events queued elsewhere with their ids fixed when queued (a zone object's meter alerts, which cannot
 * share a D1 batch with the object's own write): one batch, and a batch sent again inserts nothing twice.
 */
export async function insertEventsOnce(d1: D1Database, events: (DomainEvent & { id: string })[]) {
  const database = db(d1);
  const [first, ...rest] = events.map((e) =>
    database
      .insert(domainEvents)
      .values({ ...e, data: e.data ?? null })
      .onConflictDoNothing(),
  );
  if (first) await database.batch([first, ...rest]);
}

/** A tenant's events, newest first; `type` narrows to one kind, `beforeMs` pages back. */
export function listEvents(database: Db, tenantId: string, opts: { type?: string; beforeMs?: number; limit: number }) {
  const where = [eq(domainEvents.tenantId, tenantId)];
  if (opts.type) where.push(eq(domainEvents.type, opts.type));
  if (opts.beforeMs !== undefined) where.push(lt(domainEvents.at, opts.beforeMs));
  return database
    .select()
    .from(domainEvents)
    .where(and(...where))
    .orderBy(desc(domainEvents.at))
    .limit(opts.limit);
}
