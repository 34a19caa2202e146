// Reservations through the worker: hold, read, list, confirm with a ledger payment, cancel; the
// refusals (problem+json, nothing written) and the security cases (no key, wrong scope, another city).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_HOLD_MINUTES } from "../../../../src/domain/reservations";
import { db } from "../../../../src/storage/db";
import { upsertPayment } from "../../../../src/storage/payments";
import {
  APP,
  NO_SCOPES,
  OTHER_TENANT_ADMIN,
  call,
  createZone,
  flatZone,
  json,
  newPlate,
  problem,
  uniq,
  zoneObject,
} from "../../fixtures";

const MIN = 60_000;
type Reservation = {
  id: string;
  zone: string;
  plate: string;
  status: string;
  from: string;
  until: string;
  minutes: number;
  priceCents: number;
  currency: string;
  holdExpiresAt: string;
  holdsSpace: boolean;
  paymentId: string | null;
};
type Listed = {
  usage: { capacity: number | null; occupied: number; held: number; confirmed: number; free: number };
  data: Reservation[];
};

let zone: string; // flat 240 c/h, capacity 10
beforeAll(async () => {
  zone = (await createZone(flatZone({ capacity: 10 }))).code;
});

const hold = (body: Record<string, unknown>, key: string | null = APP, headers?: Record<string, string>, code = zone) =>
  call(`/v1/zones/${code}/reservations`, { key, body, headers });
async function held(minutes = 60): Promise<Reservation> {
  const res = await hold({ plate: newPlate(), minutes });
  expect(res.status).toBe(201);
  return json<Reservation>(res);
}
const list = async (query = "", key = APP, code = zone) => {
  const res = await call(`/v1/zones/${code}/reservations${query}`, { key });
  expect(res.status).toBe(200);
  return json<Listed>(res);
};
const confirm = (id: string, body: Record<string, unknown>, key: string | null = APP) =>
  call(`/v1/reservations/${id}/confirm`, { key, body });
const cancel = (id: string, key: string | null = APP) => call(`/v1/reservations/${id}/cancel`, { key, method: "POST" });

/** A payment in a tenant's ledger, as a webhook would have recorded it. */
async function payment(
  over: { tenantId?: string; amountCents?: number; status?: "succeeded" | "pending"; sessionId?: string } = {},
) {
  const reference = `ref_${uniq(12)}`;
  const row = await upsertPayment(
    db(env.DB),
    {
      tenantId: over.tenantId ?? "demo",
      provider: "paystack",
      providerTransactionId: reference,
      sessionId: over.sessionId ?? null,
      amountCents: over.amountCents ?? 240,
      feeCents: 0,
      currency: "USD",
      revenueAccount: null,
      feeAccount: null,
      zone: null,
      method: "card",
      source: "webhook",
      paidAt: Date.now(),
      status: over.status ?? "succeeded",
    },
    Date.now(),
  );
  return { id: row.id, reference };
}

describe("reservations: happy paths", () => {
  it("holds a space priced for its window, with a hold that lapses in 10 minutes, and reads it back", async () => {
    const before = Date.now();
    const res = await hold({ plate: "ab-123 x", state: "ct", minutes: 60 });
    expect(res.status).toBe(201);
    const r = await json<Reservation>(res);
    expect(res.headers.get("location")).toBe(`/v1/reservations/${r.id}`);
    expect(r.id).toMatch(new RegExp(`^res_${zone}_[A-Za-z0-9]{20}$`));
    expect(r).toMatchObject({ zone, plate: "AB123X", status: "held", minutes: 60, priceCents: 240, currency: "USD" });
    expect(r.holdsSpace).toBe(true);
    const expires = Date.parse(r.holdExpiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + DEFAULT_HOLD_MINUTES * MIN);
    expect(expires).toBeLessThanOrEqual(Date.now() + DEFAULT_HOLD_MINUTES * MIN);
    expect(Date.parse(r.until) - Date.parse(r.from)).toBe(60 * MIN);

    const got = await call(`/v1/reservations/${r.id}`, { key: APP });
    expect(got.status).toBe(200);
    expect(await json<Reservation>(got)).toMatchObject({ id: r.id, status: "held", priceCents: 240 });
    await cancel(r.id);
  });

  it("replays a hold retried with the same Idempotency-Key and refuses the key with another body", async () => {
    const headers = { "idempotency-key": `k-${uniq()}` };
    const body = { plate: newPlate(), minutes: 30 };
    const first = await hold(body, APP, headers);
    expect(first.status).toBe(201);
    const again = await hold(body, APP, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [a, b] = [await json<Reservation>(first), await json<Reservation>(again)];
    expect(b.id).toBe(a.id);
    const heldBefore = (await list()).usage.held;
    const other = await hold({ ...body, minutes: 45 }, APP, headers);
    expect((await problem(other, 422)).errors?.[0]?.path).toBe("Idempotency-Key");
    expect((await list()).usage.held).toBe(heldBefore);
    await cancel(a.id);
  });

  it("confirms with a succeeded ledger payment (by id or by provider reference); the same payment again answers the same", async () => {
    const r = await held();
    const pay = await payment();
    const res = await confirm(r.id, { paymentId: pay.id });
    expect(res.status).toBe(200);
    expect(await json<Reservation>(res)).toMatchObject({ id: r.id, status: "confirmed", paymentId: pay.id, holdsSpace: true });
    const again = await confirm(r.id, { provider: "paystack", reference: pay.reference });
    expect(again.status).toBe(200);
    expect((await json<Reservation>(again)).paymentId).toBe(pay.id);

    const s = await held();
    const byRef = await payment();
    const ok = await confirm(s.id, { provider: "paystack", reference: byRef.reference });
    expect(ok.status).toBe(200);
    const listed = await list("?status=confirmed");
    expect(listed.data.map((x) => x.id)).toEqual(expect.arrayContaining([r.id, s.id]));
    expect(listed.data.every((x) => x.status === "confirmed")).toBe(true);
    expect(listed.usage.confirmed).toBeGreaterThanOrEqual(2);
  });

  it("cancels a hold, freeing its space; cancelling again answers the released reservation", async () => {
    const r = await held();
    const before = (await list()).usage;
    const res = await cancel(r.id);
    expect(res.status).toBe(200);
    expect(await json<Reservation>(res)).toMatchObject({ status: "released", holdsSpace: false });
    const after = (await list()).usage;
    expect([after.held, after.free]).toEqual([before.held - 1, before.free + 1]);
    expect((await cancel(r.id)).status).toBe(200);
    const released = await list("?status=released");
    expect(released.data.some((x) => x.id === r.id)).toBe(true);
  });
});

describe("reservations: refusals write nothing", () => {
  it("404 for an unknown zone and a malformed or unknown id", async () => {
    await problem(await hold({ plate: newPlate(), minutes: 60 }, APP, undefined, "NOPE"), 404);
    await problem(await call("/v1/zones/NOPE/reservations", { key: APP }), 404);
    await problem(await call("/v1/reservations/res_nope", { key: APP }), 404);
    await problem(await call(`/v1/reservations/res_${zone}_AAAAAAAAAAAAAAAAAAAA`, { key: APP }), 404);
  });

  it("409 for a zone without a capacity", async () => {
    const street = (await createZone(flatZone({ capacity: null }))).code;
    const p = await problem(await hold({ plate: newPlate(), minutes: 60 }, APP, undefined, street), 409);
    expect(p.detail).toMatch(/no capacity/);
    expect((await list("", APP, street)).data.length).toBe(0);
  });

  it("422 for bad input, with the field", async () => {
    const before = (await list()).data.length;
    expect((await problem(await hold({ plate: newPlate(), minutes: 20 }), 422)).errors?.[0]?.path).toBe("minutes");
    expect((await problem(await hold({ plate: newPlate(), minutes: 600 }), 422)).errors?.[0]?.path).toBe("minutes");
    expect((await problem(await hold({ minutes: 60 }), 422)).errors?.[0]?.path).toBe("plate");
    const farAhead = new Date(Date.now() + 3 * 24 * 60 * MIN).toISOString();
    expect((await problem(await hold({ plate: newPlate(), minutes: 60, from: farAhead }), 422)).errors?.[0]?.path).toBe("from");
    await problem(await hold({ plate: newPlate(), minutes: 60, from: "tomorrow" }), 422);
    await problem(await call(`/v1/zones/${zone}/reservations?status=gone`, { key: APP }), 422);
    expect((await list()).data.length).toBe(before);
  });

  it("409 when full, with the capacity and when the earliest hold lapses", async () => {
    const small = (await createZone(flatZone({ capacity: 2 }))).code;
    const a = await json<Reservation>(await hold({ plate: newPlate(), minutes: 60 }, APP, undefined, small));
    await hold({ plate: newPlate(), minutes: 60 }, APP, undefined, small);
    const p = (await problem(await hold({ plate: newPlate(), minutes: 60 }, APP, undefined, small), 409)) as {
      capacity?: number;
      earliestHoldLapsesAt?: string;
    };
    expect(p).toMatchObject({ capacity: 2, earliestHoldLapsesAt: a.holdExpiresAt });
    expect((await list("", APP, small)).data.length).toBe(2);
  });

  it("refuses a payment that is unknown, not succeeded, short, for a session, or already used; the hold stays held", async () => {
    const r = await held();
    const unknown = await problem(await confirm(r.id, { paymentId: "pay_nope" }), 422);
    expect(unknown.errors?.[0]?.path).toBe("paymentId");
    await problem(await confirm(r.id, { provider: "paystack" }), 422); // reference missing
    expect((await problem(await confirm(r.id, { paymentId: (await payment({ status: "pending" })).id }), 409)).detail).toMatch(
      /pending/,
    );
    expect((await problem(await confirm(r.id, { paymentId: (await payment({ amountCents: 239 })).id }), 409)).detail).toMatch(
      /covers 239/,
    );
    const forSession = await payment({ sessionId: `ses_${zone}_AAAAAAAAAAAAAAAAAAAA` });
    await problem(await confirm(r.id, { paymentId: forSession.id }), 409);

    const used = await payment();
    const other = await held();
    expect((await confirm(other.id, { paymentId: used.id })).status).toBe(200);
    expect((await problem(await confirm(r.id, { paymentId: used.id }), 409)).detail).toMatch(/another reservation/);
    const now = await json<Reservation>(await call(`/v1/reservations/${r.id}`, { key: APP }));
    expect(now).toMatchObject({ status: "held", paymentId: null });
    await cancel(r.id);
  });

  it("409 to confirm a lapsed hold (and the payment stays free for another), and to cancel a confirmed one", async () => {
    const r = await held();
    // Step the hold past its expiry inside the object (the route reads the real clock).
    await runInDurableObject(zoneObject(env, zone), (_o, state) => {
      state.storage.sql.exec("UPDATE reservations SET hold_expires_ms = ? WHERE id = ?", Date.now() - 1, r.id);
    });
    const pay = await payment();
    expect((await problem(await confirm(r.id, { paymentId: pay.id }), 409)).detail).toMatch(/lapsed/);
    expect((await json<Reservation>(await call(`/v1/reservations/${r.id}`, { key: APP }))).status).toBe("lapsed");
    await problem(await cancel(r.id), 409);
    const s = await held();
    expect((await confirm(s.id, { paymentId: pay.id })).status).toBe(200);
    expect((await problem(await cancel(s.id), 409)).detail).toMatch(/confirmed/);
  });
});

describe("reservations: security", () => {
  it("401 without a key, 403 without the scope", async () => {
    const r = await held();
    await problem(await hold({ plate: newPlate(), minutes: 60 }, null), 401);
    await problem(await call(`/v1/zones/${zone}/reservations`, { key: null }), 401);
    await problem(await call(`/v1/reservations/${r.id}`, { key: null }), 401);
    await problem(await confirm(r.id, { paymentId: "pay_x" }, null), 401);
    await problem(await cancel(r.id, null), 401);
    await problem(await hold({ plate: newPlate(), minutes: 60 }, NO_SCOPES), 403);
    await problem(await call(`/v1/zones/${zone}/reservations`, { key: NO_SCOPES }), 403);
    await problem(await call(`/v1/reservations/${r.id}`, { key: NO_SCOPES }), 403);
    await problem(await confirm(r.id, { paymentId: "pay_x" }, NO_SCOPES), 403);
    await problem(await cancel(r.id, NO_SCOPES), 403);
    expect((await json<Reservation>(await call(`/v1/reservations/${r.id}`, { key: APP }))).status).toBe("held");
    await cancel(r.id);
  });

  it("another city's key finds nothing: 404 to read, confirm or cancel, and the reservation is untouched", async () => {
    const r = await held();
    const theirs = await payment({ tenantId: "other" });
    await problem(await call(`/v1/reservations/${r.id}`, { key: OTHER_TENANT_ADMIN }), 404);
    await problem(await confirm(r.id, { paymentId: theirs.id }, OTHER_TENANT_ADMIN), 404);
    await problem(await cancel(r.id, OTHER_TENANT_ADMIN), 404);
    await problem(await call(`/v1/zones/${zone}/reservations`, { key: OTHER_TENANT_ADMIN }), 404);
    // Nor does another city's payment confirm ours.
    await problem(await confirm(r.id, { paymentId: theirs.id }), 422);
    expect((await json<Reservation>(await call(`/v1/reservations/${r.id}`, { key: APP }))).status).toBe("held");
    await cancel(r.id);
  });
});
