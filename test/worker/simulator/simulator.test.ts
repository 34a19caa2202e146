// The provider simulator itself: each provider's auth, shapes, pagination and idempotency as its docs
// describe them, and the control API's faults and observations. The sync tests rely on all of this.
import { beforeEach, describe, expect, it } from "vitest";
import {
  clearFaults,
  creds,
  resetSimulator,
  setFaults,
  sim,
  simCalls,
  simEffects,
  stripeIntent,
  lastSeq,
} from "../sync/fixtures";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const stripePost = (key: string, path: string, fields: Record<string, string>, idem?: string) =>
  sim(`/stripe${path}`, {
    method: "POST",
    body: form(fields),
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/x-www-form-urlencoded",
      ...(idem ? { "idempotency-key": idem } : {}),
    },
  });

beforeEach(async () => {
  await resetSimulator();
});

describe("simulated Stripe", () => {
  it("refuses a missing or malformed key with Stripe's 401", async () => {
    const none = await sim("/stripe/v1/balance");
    expect(none.status).toBe(401);
    expect(none.body.error.type).toBe("invalid_request_error");
    const publishable = await sim("/stripe/v1/balance", { headers: { authorization: "Bearer pk_test_1234567890abcdef" } });
    expect(publishable.status).toBe(401);
    expect(publishable.body.error.message).toMatch(/^Invalid API Key provided: pk_test_\*+cdef$/);
  });

  it("lists payment intents newest first with cursor pagination and created filters", async () => {
    const { secretKey } = creds.stripe();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await stripeIntent(secretKey, 100 + i));
    const auth = { authorization: `Bearer ${secretKey}` };
    const first = await sim("/stripe/v1/payment_intents?limit=2", { headers: auth });
    expect(first.body).toMatchObject({ object: "list", has_more: true });
    expect(first.body.data.map((p: any) => p.id)).toEqual([ids[4], ids[3]]);
    const second = await sim(`/stripe/v1/payment_intents?limit=2&starting_after=${ids[3]}`, { headers: auth });
    expect(second.body.data.map((p: any) => p.id)).toEqual([ids[2], ids[1]]);
    const last = await sim(`/stripe/v1/payment_intents?limit=2&starting_after=${ids[1]}`, { headers: auth });
    expect(last.body).toMatchObject({ has_more: false, data: [{ id: ids[0], status: "succeeded", amount_received: 100 }] });
    const future = await sim(`/stripe/v1/payment_intents?created[gte]=${Math.floor(Date.now() / 1000) + 3600}`, {
      headers: auth,
    });
    expect(future.body.data).toEqual([]);
    expect((await sim("/stripe/v1/payment_intents?limit=101", { headers: auth })).status).toBe(400);
    // Another key is another account: it sees none of these.
    expect(
      (await sim("/stripe/v1/payment_intents", { headers: { authorization: `Bearer ${creds.stripe().secretKey}` } })).body.data,
    ).toEqual([]);
  });

  it("applies a refund once per idempotency key and replays the first answer", async () => {
    const { secretKey } = creds.stripe();
    const pi = await stripeIntent(secretKey, 1000);
    const a = await stripePost(secretKey, "/v1/refunds", { payment_intent: pi, amount: "300" }, "key-1");
    const b = await stripePost(secretKey, "/v1/refunds", { payment_intent: pi, amount: "300" }, "key-1");
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const mismatch = await stripePost(secretKey, "/v1/refunds", { payment_intent: pi, amount: "400" }, "key-1");
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.type).toBe("idempotency_error");
    const refunds = (await simEffects("stripe")).filter((e) => e.path === "/v1/refunds");
    expect(refunds).toEqual([expect.objectContaining({ idempotencyKey: "key-1", objectId: a.body.id, replays: 1 })]);
    // What is left to refund is what the one applied refund left.
    const tooMuch = await stripePost(secretKey, "/v1/refunds", { payment_intent: pi, amount: "800" }, "key-2");
    expect(tooMuch.body.error.code).toBe("amount_too_large");
  });
});

describe("simulated Twilio", () => {
  it("sends a message with Basic auth and answers like Twilio, including its error codes", async () => {
    const c = creds.twilio();
    const auth = {
      authorization: `Basic ${btoa(`${c.accountSid}:${c.authToken}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    };
    const path = `/twilio/2010-04-01/Accounts/${c.accountSid}/Messages.json`;
    const sent = await sim(path, {
      method: "POST",
      headers: auth,
      body: form({ To: "+12035550123", From: c.fromNumber, Body: "Your session in A1 ends in 10 minutes." }),
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      status: "queued",
      num_segments: "1",
      account_sid: c.accountSid,
      direction: "outbound-api",
    });
    expect(sent.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    const noTo = await sim(path, { method: "POST", headers: auth, body: form({ From: c.fromNumber, Body: "x" }) });
    expect(noTo.body).toMatchObject({ status: 400, code: 21604 });
    const wrongToken = await sim(path, {
      method: "POST",
      headers: { ...auth, authorization: `Basic ${btoa(`${c.accountSid}:${"0".repeat(31)}x`)}` },
      body: form({ To: "+12035550123", From: c.fromNumber, Body: "x" }),
    });
    expect(wrongToken.body).toMatchObject({ status: 401, code: 20003 });
  });
});

describe("simulated IPS SmartCity", () => {
  it("takes ApiKey auth, upserts sessions, validates them, and lists what it holds", async () => {
    const { apiKey } = creds.ips();
    const headers = { authorization: `ApiKey ${apiKey}`, "content-type": "application/json" };
    const session = {
      id: "ses_1",
      licensePlate: "ABC123",
      state: "CT",
      zoneNumber: "A1",
      startTime: "2026-05-01T14:00:00.000Z",
      endTime: "2026-05-01T16:00:00.000Z",
      amountCents: 400,
      status: "ACTIVE",
    };
    expect(
      (await sim("/ips/smartcity/v2/sessions/sync", { headers: { authorization: `Bearer ${apiKey}` }, body: { sessions: [] } }))
        .status,
    ).toBe(401);
    const first = await sim("/ips/smartcity/v2/sessions/sync", { headers, body: { sessions: [session] } });
    expect(first.body).toMatchObject({ received: 1, created: 1, updated: 0 });
    const again = await sim("/ips/smartcity/v2/sessions/sync", {
      headers,
      body: { sessions: [{ ...session, endTime: "2026-05-01T17:00:00.000Z" }] },
    });
    expect(again.body).toMatchObject({ received: 1, created: 0, updated: 1 });
    const bad = await sim("/ips/smartcity/v2/sessions/sync", {
      headers,
      body: { sessions: [{ ...session, licensePlate: "abc 123" }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ index: 0, field: "licensePlate", message: expect.any(String) }]);
    const listed = await sim("/ips/smartcity/v2/sessions?zoneNumber=A1", { headers });
    expect(listed.body).toMatchObject({ total: 1, data: [{ id: "ses_1", endTime: "2026-05-01T17:00:00.000Z" }] });
    expect((await sim("/ips/smartcity/v2/health")).status).toBe(200);
  });

  it("upserts violations by violationId and permits by number, refusing a batch with any invalid one", async () => {
    const headers = { authorization: `ApiKey ${creds.ips().apiKey}`, "content-type": "application/json" };
    const violation = {
      violationId: "ips_viol_789",
      status: "PENDING",
      timestamp: "2024-01-01T12:15:00.000Z",
      licensePlate: "XYZ789",
      state: "CT",
      location: { zoneNumber: "A1" },
      violationType: "EXPIRED_METER",
      fineAmount: 25,
    };
    const sync = (what: string, body: unknown) => sim(`/ips/smartcity/v2/${what}/sync`, { headers, body });
    expect((await sync("violations", { violations: [violation] })).body).toMatchObject({ received: 1, created: 1 });
    expect((await sync("violations", { violations: [{ ...violation, status: "ISSUED" }] })).body).toMatchObject({ updated: 1 });
    const bad = await sync("violations", {
      violations: [violation, { ...violation, violationId: "x", fineAmount: 25.001, status: "PAID" }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { index: number; field: string }) => `${d.index}:${d.field}`)).toEqual([
      "1:status",
      "1:fineAmount",
    ]);
    expect((await sim("/ips/smartcity/v2/violations?status=ISSUED", { headers })).body).toMatchObject({
      total: 1,
      data: [{ violationId: "ips_viol_789" }],
    });

    const permit = {
      number: "RES-2026-001",
      type: "RESIDENTIAL",
      licensePlate: "RES1234",
      state: "CT",
      zones: ["A1", "A2"],
      validFrom: "2026-01-01T00:00:00.000Z",
      validUntil: "2027-01-01T00:00:00.000Z",
      status: "ACTIVE",
    };
    expect((await sync("permits", { permits: [permit] })).body).toMatchObject({ received: 1, created: 1 });
    const badPermit = await sync("permits", { permits: [{ ...permit, zones: [], validUntil: permit.validFrom }] });
    expect(badPermit.body.error.details.map((d: { field: string }) => d.field)).toEqual(["zones", "validUntil"]);
    expect((await sim("/ips/smartcity/v2/permits?type=RESIDENTIAL", { headers })).body).toMatchObject({ total: 1 });
  });
});

describe("control API", () => {
  it("fails the next n requests with the status and Retry-After asked for, then recovers", async () => {
    const { secretKey } = creds.stripe();
    const auth = { authorization: `Bearer ${secretKey}` };
    expect((await setFaults("stripe", { failNext: 2, status: 503, retryAfterSeconds: 9 })).status).toBe(200);
    const a = await sim("/stripe/v1/balance", { headers: auth });
    expect(a.status).toBe(503);
    expect(a.headers.get("retry-after")).toBe("9");
    expect(a.body.error.type).toBe("api_error");
    expect((await sim("/stripe/v1/balance", { headers: auth })).status).toBe(503);
    expect((await sim("/stripe/v1/balance", { headers: auth })).status).toBe(200);
  });

  it("a status alone is an outage until cleared; expireTokens refuses every credential", async () => {
    const { apiKey } = creds.ips();
    const auth = { authorization: `ApiKey ${apiKey}` };
    await setFaults("ips", { status: 500 });
    for (let i = 0; i < 3; i++) expect((await sim("/ips/smartcity/v2/account", { headers: auth })).status).toBe(500);
    await setFaults("ips", { expireTokens: true });
    expect((await sim("/ips/smartcity/v2/account", { headers: auth })).status).toBe(401);
    await clearFaults("ips");
    expect((await sim("/ips/smartcity/v2/account", { headers: auth })).status).toBe(200);
  });

  it("adds latency", async () => {
    await setFaults("ips", { latencyMs: 150 });
    const started = Date.now();
    await sim("/ips/smartcity/v2/health");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("refuses faults it does not know or cannot apply", async () => {
    const bad = await setFaults("stripe", { failRate: 2, explode: true });
    expect(bad.status).toBe(422);
    expect(bad.body.details).toEqual(["failRate: out of range or wrong type", "explode: unknown fault"]);
    expect((await setFaults("nobody", {})).status).toBe(404);
  });

  it("observes every call with its outcome and idempotency key, and never the credential", async () => {
    const { secretKey } = creds.stripe();
    const before = await lastSeq();
    const pi = await stripeIntent(secretKey, 500);
    await setFaults("stripe", { failNext: 1 });
    await stripePost(secretKey, "/v1/refunds", { payment_intent: pi }, "k-obs");
    await stripePost(secretKey, "/v1/refunds", { payment_intent: pi }, "k-obs");
    await stripePost(secretKey, "/v1/refunds", { payment_intent: pi }, "k-obs");
    const calls = await simCalls("stripe", before);
    expect(calls.map((c) => [c.path, c.status, c.outcome])).toEqual([
      ["/v1/payment_intents", 200, "handled"],
      ["/v1/refunds", 500, "fault"],
      ["/v1/refunds", 200, "handled"],
      ["/v1/refunds", 200, "replayed"],
    ]);
    expect(calls[1]!.idempotencyKey).toBe("k-obs");
    expect(JSON.stringify(calls)).not.toContain(secretKey);
  });
});
