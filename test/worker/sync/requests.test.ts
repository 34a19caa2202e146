// The one interface the domain uses for payments and messages (src/sync/requests.ts), and the domain
// wired to it: a paid session ended early is refunded through the provider that took the payment,
// and a driver who asked for a reminder gets one before the session expires, once per end time.
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { statusOf } from "../../../src/http/errors";
import type { Failure } from "../../../src/lib/failure";
import worker from "../../../src";
import { recoverStaleSyncJobs } from "../../../src/sync/recovery";
import { CapabilityUnavailable, requestRefund, sendMessage } from "../../../src/sync/requests";
import { CONNECTORS } from "../../../src/vendors";
import { recordPayment, recordRefund } from "../../../src/effects/payments";
import { call, createZone, flatZone, json, newPlate, uniq, zoneObject } from "../fixtures";
import {
  connectTo,
  consume,
  creds,
  jobRow,
  lastSeq,
  message,
  resetSimulator,
  settled,
  simCalls,
  simEffects,
  stripeIntent,
  syncTenant,
} from "./fixtures";

const hex = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n / 2)), (b) => b.toString(16).padStart(2, "0")).join("");
const sendgridCreds = () => ({
  apiKey: `SG.${hex(22)}.${hex(42)}a`,
  webhookVerificationKey: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsimulatorKeyOnly",
});
const SENDER = { fromEmail: "parking@city.test" };
const PHONE = "+12035550187";

/** A payment as the Stripe webhook would record it: the intent paid `amount` for `sessionId`. */
async function paidWithStripe(tenantId: string, secretKey: string, amount: number, sessionId: string | null = null) {
  const pi = await stripeIntent(secretKey, amount);
  const r = await recordPayment(
    { env, tenantId, provider: "stripe", eventId: `evt_${pi}`, nowMs: Date.now() },
    { providerTransactionId: pi, amountCents: amount, currency: "usd", status: "succeeded", sessionId },
  );
  return { pi, paymentId: (r.effect as { payment: string }).payment };
}

const paymentRow = (id: string) =>
  env.DB.prepare("SELECT * FROM payments WHERE id = ?")
    .bind(id)
    .first<{ status: string; refunded_cents: number; amount_cents: number }>();
const jobsOf = (tenantId: string, entity: string) =>
  env.DB.prepare("SELECT id, provider, params FROM sync_jobs WHERE tenant_id = ? AND entity = ? ORDER BY created_at")
    .bind(tenantId, entity)
    .all<{ id: string; provider: string; params: string }>()
    .then((r) => r.results);
/**
 * Runs the zone's alarm until `read` gives what `done` wants (or 50 tries). The object's own alarm may
 * be mid-run when the test asks, and then runDurableObjectAlarm has nothing to run and returns at once.
 */
async function alarmsUntil<T>(stub: unknown, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    await runDurableObjectAlarm(stub as Parameters<typeof runDurableObjectAlarm>[0]);
    const value = await read();
    if (done(value) || attempt === 50) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (err: unknown) => err as Failure,
  );

beforeAll(async () => {
  await resetSimulator();
});

describe("requestRefund", () => {
  it("refunds through the provider that took the payment, once, and records it on the payment", async () => {
    const t = await syncTenant("rfa");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    await connectTo(t.key, "twilio", creds.twilio()); // a messaging provider is no candidate for a refund
    const { pi, paymentId } = await paidWithStripe(t.id, c.secretKey, 900);
    const queued = await requestRefund(env, CONNECTORS, t.id, {
      provider: "stripe",
      transactionId: pi,
      amountCents: 300,
      reason: "duplicate",
    });
    expect(queued).toMatchObject({ provider: "stripe", paymentId, amountCents: 300, queued: true });
    const job = await settled(t.key, "stripe", queued.jobId);
    expect(job).toMatchObject({
      status: "succeeded",
      entity: "refund",
      result: { records: 1, detail: { status: "succeeded", amountCents: 300, paymentId } },
    });
    expect((await simEffects("stripe")).filter((e) => e.idempotencyKey === `${job.id}:refund`)).toEqual([
      expect.objectContaining({ path: "/v1/refunds", objectId: job.result.detail.refundId }),
    ]);
    expect(await paymentRow(paymentId)).toMatchObject({ status: "partially_refunded", refunded_cents: 300 });

    // A retried delivery of the finished job does nothing; a second refund larger than what is left is refused.
    await consume([{ body: message(t.id, "stripe", job.id), attempts: 2 }]);
    expect((await simEffects("stripe")).filter((e) => e.idempotencyKey === `${job.id}:refund`).length).toBe(1);
    expect(statusOf(await rejection(requestRefund(env, CONNECTORS, t.id, { paymentId, amountCents: 601, reason: "x" })))).toBe(
      422,
    );

    // Stripe then sends charge.refunded; newer API versions give only the running total, which already
    // includes the refund Curbgate made. It must not be counted twice, nor a later refund missed.
    const ctx = { env, tenantId: t.id, provider: "stripe", eventId: `evt_${uniq(10)}`, nowMs: Date.now() };
    await recordRefund(ctx, { providerTransactionId: pi, refundId: "ch_running", amountCents: 300, cumulative: true });
    expect(await paymentRow(paymentId)).toMatchObject({ status: "partially_refunded", refunded_cents: 300 });
    await recordRefund(ctx, { providerTransactionId: pi, refundId: "ch_running", amountCents: 500, cumulative: true }); // a 200 refund made in Stripe's dashboard
    expect(await paymentRow(paymentId)).toMatchObject({ status: "partially_refunded", refunded_cents: 500 });
    await recordRefund(ctx, { providerTransactionId: pi, refundId: "re_listed", amountCents: 300 }); // an older-version event listing a refund
    expect(await paymentRow(paymentId)).toMatchObject({ refunded_cents: 600 });
  });

  it("refuses with a clear error when the payment's provider is not connected", async () => {
    const t = await syncTenant("rfn");
    const c = creds.stripe();
    const { paymentId } = await paidWithStripe(t.id, c.secretKey, 700);
    const err = await rejection(requestRefund(env, CONNECTORS, t.id, { paymentId, amountCents: 100, reason: "x" }));
    expect(err).toBeInstanceOf(CapabilityUnavailable);
    expect(statusOf(err)).toBe(409);
    expect(err.message).toBe("Refunding a stripe payment: connect stripe first (POST /v1/integrations/connections)");
    expect(await jobsOf(t.id, "refund")).toEqual([]);
  });

  it("never reaches another tenant's payment, by id or by transaction id", async () => {
    const owner = await syncTenant("rfo");
    const thief = await syncTenant("rft");
    const c = creds.stripe();
    await connectTo(owner.key, "stripe", c);
    await connectTo(thief.key, "stripe", creds.stripe());
    const { pi, paymentId } = await paidWithStripe(owner.id, c.secretKey, 800);
    expect(
      statusOf(await rejection(requestRefund(env, CONNECTORS, thief.id, { paymentId, amountCents: 100, reason: "x" }))),
    ).toBe(404);
    expect(
      statusOf(
        await rejection(
          requestRefund(env, CONNECTORS, thief.id, { provider: "stripe", transactionId: pi, amountCents: 100, reason: "x" }),
        ),
      ),
    ).toBe(404);
    expect(await jobsOf(thief.id, "refund")).toEqual([]);
    expect(await paymentRow(paymentId)).toMatchObject({ status: "succeeded", refunded_cents: 0 });
  });
});

describe("sendMessage", () => {
  it("picks the tenant's connected provider for the channel", async () => {
    const t = await syncTenant("msp");
    await connectTo(t.key, "twilio", creds.twilio());
    await connectTo(t.key, "sendgrid", sendgridCreds(), SENDER);
    await connectTo(t.key, "stripe", creds.stripe());
    const sms = await sendMessage(env, CONNECTORS, t.id, {
      channel: "sms",
      to: PHONE,
      text: "Your parking ends in 10 minutes.",
      purpose: "test",
    });
    const email = await sendMessage(env, CONNECTORS, t.id, {
      channel: "email",
      to: "driver@mail.test",
      subject: "Parking",
      text: "Ends soon.",
      purpose: "test",
    });
    expect([sms.provider, email.provider]).toEqual(["twilio", "sendgrid"]);
    expect((await settled(t.key, "twilio", sms.jobId)).status).toBe("succeeded");
    expect((await settled(t.key, "sendgrid", email.jobId)).status).toBe("succeeded");
    // The same dedupe key queues nothing new.
    const once = { channel: "sms" as const, to: PHONE, text: "Once.", purpose: "test", dedupeKey: "k1" };
    const first = await sendMessage(env, CONNECTORS, t.id, once);
    expect(await sendMessage(env, CONNECTORS, t.id, once)).toEqual({ ...first, queued: false });
  });

  it("refuses when no provider for the channel is connected, naming the ones that could, and never borrows another tenant's", async () => {
    const other = await syncTenant("mso");
    await connectTo(other.key, "twilio", creds.twilio());
    const t = await syncTenant("msn");
    await connectTo(t.key, "stripe", creds.stripe());
    const sms = await rejection(sendMessage(env, CONNECTORS, t.id, { channel: "sms", to: PHONE, text: "x", purpose: "test" }));
    expect(statusOf(sms)).toBe(409);
    expect(sms.message).toBe("No connected provider sends sms; connect one of: twilio");
    const email = await rejection(
      sendMessage(env, CONNECTORS, t.id, { channel: "email", to: "a@mail.test", text: "x", purpose: "test" }),
    );
    expect(email.message).toBe("No connected provider sends email; connect one of: brevo, sendgrid");
    expect(await jobsOf(t.id, "message")).toEqual([]);
  });

  it("refuses a contact that does not fit the channel", async () => {
    const t = await syncTenant("msv");
    await connectTo(t.key, "twilio", creds.twilio());
    expect(
      statusOf(
        await rejection(
          sendMessage(env, CONNECTORS, t.id, { channel: "sms", to: "driver@mail.test", text: "x", purpose: "test" }),
        ),
      ),
    ).toBe(422);
    expect(
      statusOf(await rejection(sendMessage(env, CONNECTORS, t.id, { channel: "email", to: PHONE, text: "x", purpose: "test" }))),
    ).toBe(422);
  });
});

describe("ending a paid session early", () => {
  it("queues exactly one refund through Stripe, which applies it once", async () => {
    const t = await syncTenant("end");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    const zone = await createZone(flatZone(), t.key);
    const started = await json(
      await call("/v1/sessions", { key: t.key, body: { plate: newPlate(), zone: zone.code, minutes: 60 } }),
    );
    const { paymentId } = await paidWithStripe(t.id, c.secretKey, started.amountCents, started.id);
    const before = await lastSeq();

    const res = await call(`/v1/sessions/${started.id}/end`, { key: t.key, method: "POST" });
    expect(res.status).toBe(200);
    const ended = await json(res);
    expect(ended.refund.refundCents).toBeGreaterThan(0);
    expect(ended.refund.providerRefund).toEqual({
      status: "queued",
      provider: "stripe",
      paymentId,
      amountCents: ended.refund.refundCents,
      jobId: expect.stringMatching(/^job_/),
    });
    const job = await settled(t.key, "stripe", ended.refund.providerRefund.jobId);
    expect(job).toMatchObject({ status: "succeeded", params: { sessionId: started.id, amountCents: ended.refund.refundCents } });

    // Ending again is refused, and asking for the session's refund again queues nothing.
    expect((await call(`/v1/sessions/${started.id}/end`, { key: t.key, method: "POST" })).status).toBe(409);
    const again = await requestRefund(env, CONNECTORS, t.id, {
      paymentId,
      amountCents: 1,
      reason: "session ended early",
      sessionId: started.id,
      dedupeKey: `session-end:${started.id}`,
    });
    expect(again).toMatchObject({ jobId: job.id, queued: false });
    expect((await jobsOf(t.id, "refund")).length).toBe(1);
    const refunds = (await simCalls("stripe", before)).filter((x) => x.path === "/v1/refunds");
    expect(refunds.map((x) => [x.status, x.idempotencyKey])).toEqual([[200, `${job.id}:refund`]]);
    expect(await paymentRow(paymentId)).toMatchObject({ status: "partially_refunded", refunded_cents: ended.refund.refundCents });
  });

  it("a queue outage at the end still queues the refund: the job row waits for the stale-job cron", async () => {
    const t = await syncTenant("enq");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    const zone = await createZone(flatZone(), t.key);
    const started = await json(
      await call("/v1/sessions", { key: t.key, body: { plate: newPlate(), zone: zone.code, minutes: 60 } }),
    );
    const { paymentId } = await paidWithStripe(t.id, c.secretKey, started.amountCents, started.id);
    const brokenQueue = {
      async send() {
        throw new Error("queue unavailable");
      },
      async sendBatch() {
        throw new Error("queue unavailable");
      },
    };
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`https://curbgate.test/v1/sessions/${started.id}/end`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.key}` },
      }),
      { ...env, SYNC_QUEUE: brokenQueue as unknown as Queue },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    warnings.mockRestore();
    expect(res.status).toBe(200);
    const ended = await json(res);
    expect(ended.status).toBe("ended");
    expect(ended.refund.providerRefund).toMatchObject({
      status: "queued",
      provider: "stripe",
      paymentId,
      jobId: expect.stringMatching(/^job_/),
    });
    expect(await jobRow(t.id, ended.refund.providerRefund.jobId)).toMatchObject({ status: "queued", attempts: 0 });

    // The cron finds it (queued with no message for longer than its staleness window) and it runs once.
    expect(await recoverStaleSyncJobs(env, Date.now() + 60 * 60 * 1000)).toBeGreaterThanOrEqual(1);
    const job = await settled(t.key, "stripe", ended.refund.providerRefund.jobId);
    expect(job.status).toBe("succeeded");
    expect(await paymentRow(paymentId)).toMatchObject({ refunded_cents: ended.refund.refundCents });
  });

  it("says why nothing was queued when the provider is not connected", async () => {
    const t = await syncTenant("enn");
    const zone = await createZone(flatZone(), t.key);
    const started = await json(
      await call("/v1/sessions", { key: t.key, body: { plate: newPlate(), zone: zone.code, minutes: 60 } }),
    );
    await paidWithStripe(t.id, creds.stripe().secretKey, started.amountCents, started.id);
    const ended = await json(await call(`/v1/sessions/${started.id}/end`, { key: t.key, method: "POST" }));
    expect(ended.refund.providerRefund).toMatchObject({
      status: "unavailable",
      provider: "stripe",
      jobId: null,
      detail: expect.stringContaining("connect stripe first"),
    });
  });
});

describe("expiry reminders", () => {
  const logged: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    logged.length = 0;
  });
  const captureLogs = () => {
    for (const level of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  };

  it("texts the driver once before expiry, not again for the same end time, and not early after an extension moved it", async () => {
    captureLogs();
    const t = await syncTenant("rem");
    const tw = creds.twilio();
    await connectTo(t.key, "twilio", tw);
    const zone = await createZone(flatZone(), t.key);
    const plate = newPlate();
    // 15 minutes parked, reminded 20 minutes before the end: due at once.
    const res = await call("/v1/sessions", {
      key: t.key,
      body: { plate, zone: zone.code, minutes: 15, reminder: { channel: "sms", to: PHONE, minutesBefore: 20 } },
    });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain(PHONE);
    const s = JSON.parse(text);
    expect(s.reminder).toEqual({
      channel: "sms",
      to: "+12*******87",
      minutesBefore: 20,
      remindAt: new Date(Date.parse(s.endTime) - 20 * 60_000).toISOString(),
      status: "scheduled",
      detail: null,
    });

    const stub = zoneObject(env, zone.code, t.id);
    const jobs = await alarmsUntil(
      stub,
      () => jobsOf(t.id, "message"),
      (rows) => rows.length >= 1,
    );
    expect(jobs.length).toBe(1);
    expect(JSON.parse(jobs[0]!.params)).toMatchObject({
      channel: "sms",
      to: PHONE,
      purpose: "expiry_reminder",
      text: expect.stringContaining(plate),
    });
    const sent = await settled(t.key, "twilio", jobs[0]!.id);
    expect(sent.status).toBe("succeeded");
    expect((await json(await call(`/v1/sessions/${s.id}`, { key: t.key }))).reminder).toMatchObject({ status: "queued" });
    const texts = (await simCalls("twilio")).filter((x) => x.path === `/2010-04-01/Accounts/${tw.accountSid}/Messages.json`);
    expect(texts.length).toBe(1);

    // Extended by 30 minutes: the reminder moves to 20 minutes before the new end, not due yet.
    const extended = await json(await call(`/v1/sessions/${s.id}/extend`, { key: t.key, body: { minutes: 30 } }));
    expect(extended.reminder).toMatchObject({
      status: "scheduled",
      remindAt: new Date(Date.parse(extended.endTime) - 20 * 60_000).toISOString(),
    });
    await runDurableObjectAlarm(stub);
    expect((await jobsOf(t.id, "message")).length).toBe(1);

    // Asking for an earlier reminder makes it due for the new end time: one more, once.
    await call(`/v1/sessions/${s.id}/extend`, {
      key: t.key,
      body: { minutes: 15, reminder: { channel: "sms", to: PHONE, minutesBefore: 90 } },
    });
    expect(
      (
        await alarmsUntil(
          stub,
          () => jobsOf(t.id, "message"),
          (rows) => rows.length >= 2,
        )
      ).length,
    ).toBe(2);
    expect(logged.some((l) => l.includes(PHONE))).toBe(false);
  });

  it("a reminder that cannot be sent (no email provider) is given up for that end time, and says so", async () => {
    const t = await syncTenant("ren");
    const zone = await createZone(flatZone(), t.key);
    const s = await json(
      await call("/v1/sessions", {
        key: t.key,
        body: {
          plate: newPlate(),
          zone: zone.code,
          minutes: 15,
          reminder: { channel: "email", to: "driver@mail.test", minutesBefore: 30 },
        },
      }),
    );
    expect(s.reminder.to).toBe("d***@mail.test");
    const live = await alarmsUntil(
      zoneObject(env, zone.code, t.id),
      async () => json(await call(`/v1/sessions/${s.id}`, { key: t.key })),
      (v) => v.reminder.status !== "scheduled",
    );
    expect(live.reminder).toMatchObject({
      status: "not_sent",
      detail: "No connected provider sends email; connect one of: brevo, sendgrid",
    });
    expect(await jobsOf(t.id, "message")).toEqual([]);
  });

  it("refuses a contact that does not fit the channel, and another tenant cannot see the reminder", async () => {
    const t = await syncTenant("rev");
    const zone = await createZone(flatZone(), t.key);
    const bad = await call("/v1/sessions", {
      key: t.key,
      body: { plate: newPlate(), zone: zone.code, minutes: 15, reminder: { channel: "sms", to: "driver@mail.test" } },
    });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors).toEqual([expect.objectContaining({ path: "reminder.to" })]);
    const s = await json(
      await call("/v1/sessions", {
        key: t.key,
        body: { plate: newPlate(), zone: zone.code, minutes: 15, reminder: { channel: "sms", to: PHONE } },
      }),
    );
    expect(s.reminder.minutesBefore).toBe(10);
    const other = await syncTenant("rex");
    expect((await call(`/v1/sessions/${s.id}`, { key: other.key })).status).toBe(404);
    expect(
      (
        await call(`/v1/sessions/${s.id}/extend`, {
          key: other.key,
          body: { minutes: 15, reminder: { channel: "sms", to: "+12035550000" } },
        })
      ).status,
    ).toBe(404);
  });
});
