// Webhook ingestion under load, and the end state it must leave: every accepted event processed
// exactly once (the targets, bench/README.md).
import { createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { call, expectStatus } from "../lib/http.mjs";
import { fail, log } from "../lib/print.mjs";
import { settings, TENANT } from "../lib/settings.mjs";

/** `Stripe-Signature` as Stripe sends it: hex HMAC-SHA256 over `${t}.${body}`, keyed with the whole whsec_ string. */
const stripeSignature = (secret, body, t = Math.floor(Date.now() / 1000)) =>
  `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;

/**
 * The ingestion scenario: every request is a new `payment_intent.succeeded` event (unique evt_ and
 * pi_ ids), signed when autocannon builds it. A 200 with `duplicate: false` counts as accepted. After
 * the warm-up and after each measured slice, `settle` waits (outside the measurement) until the
 * queue consumer has processed everything accepted so far; `verify` checks the end state.
 */
export function webhookIngestion(base, d1, key, secret, runTag) {
  const prefix = `pi_bench${runTag.toLowerCase()}_`;
  const state = {
    built: 0,
    accepted: 0,
    duplicates: 0,
    otherResponses: 0,
    acceptedPis: new Set(),
    baselineProcessed: 0,
    drains: [],
  };
  const event = () => {
    const n = state.built++;
    const created = Math.floor(Date.now() / 1000);
    const amount = 100 + ((n * 37) % 4900);
    const pi = `${prefix}${n}`;
    const body = JSON.stringify({
      id: `evt_bench${runTag.toLowerCase()}_${n}`,
      object: "event",
      api_version: "2024-06-20",
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "payment_intent.succeeded",
      data: {
        object: {
          id: pi,
          object: "payment_intent",
          amount,
          amount_received: amount,
          application_fee_amount: null,
          currency: "usd",
          status: "succeeded",
          metadata: {},
          created,
        },
      },
    });
    return { pi, body, signature: stripeSignature(secret, body, created) };
  };
  const count = (status, text, pi) => {
    let ack = null;
    try {
      ack = status === 200 ? JSON.parse(text) : null;
    } catch {}
    if (ack?.duplicate === false) {
      state.accepted++;
      state.acceptedPis.add(pi);
    } else if (ack?.duplicate === true) state.duplicates++;
    else state.otherResponses++;
  };
  const post = async (e) => {
    const res = await fetch(`${base}/v1/webhooks/${TENANT}/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": e.signature },
      body: e.body,
    });
    const text = await res.text();
    count(res.status, text, e.pi);
    return { status: res.status, text };
  };
  const monitoring = async () =>
    expectStatus(call(base, "GET", "/v1/monitoring/webhooks", { key }), 200, "GET /v1/monitoring/webhooks");
  const processedOf = (m) => m.byProvider?.stripe?.processed ?? 0;

  /** Polls monitoring until processed = accepted and the backlog is empty, at most BENCH_DRAIN_TIMEOUT. */
  const drain = async (phase) => {
    const expected = state.baselineProcessed + state.accepted;
    const started = performance.now();
    const limit = started + settings.drainTimeoutSeconds * 1000;
    let m;
    for (;;) {
      m = await monitoring();
      if ((processedOf(m) >= expected && m.backlog === 0) || performance.now() > limit) break;
      await sleep(100);
    }
    const done = {
      phase,
      acceptedSoFar: state.accepted,
      processed: processedOf(m) - state.baselineProcessed,
      backlog: m.backlog,
      ms: Math.round(performance.now() - started),
    };
    done.drained = done.processed === state.accepted && m.backlog === 0;
    state.drains.push(done);
    if (!done.drained)
      log(`  !!! webhook queue not drained after ${phase} within ${settings.drainTimeoutSeconds} s: ${JSON.stringify(done)}`);
    return { ...done, monitoring: m };
  };

  const def = {
    id: "webhookIngest",
    title: "POST /v1/webhooks/demo/stripe (ingest)",
    method: "POST",
    path: `/v1/webhooks/${TENANT}/stripe`,
    headers: { "content-type": "application/json" },
    graceful: true,
    setupRequest: (req, context) => {
      const e = event();
      context.pi = e.pi;
      return { ...req, body: e.body, headers: { ...req.headers, "stripe-signature": e.signature } };
    },
    onResponse: (status, text, context) => count(status, text, context.pi),
    check: async () => {
      state.baselineProcessed = processedOf(await monitoring());
      const e = event();
      const first = await post(e);
      if (first.status !== 200 || JSON.parse(first.text).duplicate !== false)
        fail(`webhook: a signed event got ${first.status} ${first.text.slice(0, 300)}`);
      const again = await post(e); // the same delivery again: acknowledged, not processed twice
      if (again.status !== 200 || JSON.parse(again.text).duplicate !== true)
        fail(`webhook: a redelivery got ${again.status} ${again.text.slice(0, 300)}`);
    },
    settle: drain,
  };

  const verify = async () => {
    const last = await drain("end");
    const [{ n: paymentRows }] = (
      await d1
        .prepare(
          "SELECT COUNT(*) AS n FROM payments WHERE tenant_id = ? AND provider = 'stripe' AND substr(provider_transaction_id, 1, ?) = ?",
        )
        .bind(TENANT, prefix.length, prefix)
        .all()
    ).results;
    const [events] = (
      await d1
        .prepare(
          "SELECT COUNT(*) AS n, COALESCE(SUM(attempts), 0) AS attempts, COALESCE(SUM(status = 'processed'), 0) AS processed FROM webhook_events WHERE tenant_id = ? AND provider = 'stripe' AND substr(external_id, 1, ?) = ?",
        )
        .bind(TENANT, `evt_bench${runTag.toLowerCase()}_`.length, `evt_bench${runTag.toLowerCase()}_`)
        .all()
    ).results;
    const out = {
      requestsBuilt: state.built,
      accepted: state.accepted,
      duplicateAcks: state.duplicates,
      otherResponses: state.otherResponses,
      processed: last.processed,
      backlog: last.backlog,
      deadLetters: last.monitoring.deadLetters,
      byStatus: last.monitoring.byProvider?.stripe ?? {},
      paymentRows,
      eventRows: events.n,
      eventRowsProcessed: events.processed,
      attempts: events.attempts,
      receiptToEffectMs: last.monitoring.receiptToEffectMs,
      drains: state.drains,
      drainMsTotal: state.drains.reduce((n, d) => n + d.ms, 0),
    };
    if (paymentRows !== state.accepted || last.processed !== state.accepted) {
      // Which ones: accepted without a payment, or a payment nobody saw accepted.
      const rows = (
        await d1
          .prepare(
            "SELECT provider_transaction_id AS pi FROM payments WHERE tenant_id = ? AND provider = 'stripe' AND substr(provider_transaction_id, 1, ?) = ?",
          )
          .bind(TENANT, prefix.length, prefix)
          .all()
      ).results;
      const paid = new Set(rows.map((r) => r.pi));
      out.acceptedWithoutPayment = [...state.acceptedPis].filter((pi) => !paid.has(pi)).slice(0, 20);
      out.paymentsNotAccepted = [...paid].filter((pi) => !state.acceptedPis.has(pi)).slice(0, 20);
    }
    out.exactlyOnce = state.accepted > 0 && last.drained && out.processed === state.accepted && paymentRows === state.accepted;
    return out;
  };
  return { def, verify };
}

/** The end state as one line, and the ids that make the counts differ if they do. */
export function printIngestion(ingestion) {
  const d = ingestion.drains;
  log(
    `• webhook ingestion: ${ingestion.accepted} accepted (${ingestion.duplicateAcks} duplicate acks), ${ingestion.processed} processed, ` +
      `${ingestion.paymentRows} payment rows, backlog ${ingestion.backlog}, dead letters ${ingestion.deadLetters}; ` +
      `after each run the queue took ${d.map((x) => `${(x.ms / 1000).toFixed(1)} s (${x.phase})`).join(", ")} to drain, ${(ingestion.drainMsTotal / 1000).toFixed(1)} s in all`,
  );
  if (ingestion.acceptedWithoutPayment)
    log(
      `  !!! accepted without a payment: ${ingestion.acceptedWithoutPayment.join(", ")}; payments not seen accepted: ${ingestion.paymentsNotAccepted.join(", ")}`,
    );
}
