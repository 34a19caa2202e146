// Bulk load for demo data and benchmarks: seeded sessions taken as given (sessions.ts, importedSession),
// written in one transaction. With recordHistory=false the outbox rows the writes made are dropped, so
// bulk fixtures stay out of D1.
import { newSessionId, SESSION_TOKEN_LENGTH } from "../../src/domain/session-id";
import { importedSession, type SaleTerms, type SeedSession } from "../../src/domain/sessions";
import { randomToken } from "../../src/lib/ids";
import type { HistoryOutbox } from "./outbox";
import type { ZoneStore } from "./store";

export function importSeeded(
  storage: DurableObjectStorage,
  store: ZoneStore,
  outbox: HistoryOutbox,
  terms: SaleTerms,
  rows: SeedSession[],
  nowMs: number,
  recordHistory: boolean,
): void {
  const lastSeq = outbox.lastSeq();
  storage.transactionSync(() => {
    for (const r of rows)
      store.putSession(importedSession(terms, r, newSessionId(terms.rules.code, randomToken(SESSION_TOKEN_LENGTH)), nowMs));
    if (!recordHistory) outbox.dropAfter(lastSeq);
  });
}
