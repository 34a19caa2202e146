// Per-key rate limits: the middleware's headers and 429s, and the RateLimiter Durable Object's token
// bucket (capacity = the per-minute limit, refilled continuously) driven with explicit clocks.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addKey, call, DEMO_ADMIN, expectProblem, flatZone, OFFICER, signStaffJwt, uniq } from "../fixtures";

const verify = (key: string) => call("/v1/verify", { key, body: { plate: "ABC123", zone: "A1" } });

async function limitedKey(limit: number, scopes = ["verify:read", "zones:read", "zones:write"]) {
  const key = `cg_test_rl_${uniq(16)}`;
  await addKey(env, key, "demo", scopes, limit);
  return key;
}

describe("rate limits on routes", () => {
  it("five requests pass with RateLimit headers counting down; the sixth within the minute gets 429", async () => {
    const key = await limitedKey(5);
    for (let i = 0; i < 5; i++) {
      const res = await verify(key);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("5");
      expect(res.headers.get("ratelimit-policy")).toBe("5;w=60");
      expect(res.headers.get("ratelimit-remaining")).toBe(String(4 - i));
      // The bucket is full again once the tokens spent so far are back: 12 s each at 5 a minute.
      const reset = Number(res.headers.get("ratelimit-reset"));
      expect(Number.isInteger(reset)).toBe(true);
      expect(reset).toBeGreaterThanOrEqual(12 * (i + 1) - 2);
      expect(reset).toBeLessThanOrEqual(12 * (i + 1));
    }

    const limited = await verify(key);
    const retryAfter = limited.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    const seconds = Number(retryAfter);
    expect(seconds).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeLessThanOrEqual(12);
    expect(limited.headers.get("ratelimit-limit")).toBe("5");
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("ratelimit-reset")).toBe(retryAfter);
    const p = await expectProblem(limited, 429);
    expect(p.type).toBe("https://curbgate.dev/problems/rate-limited");
    expect(p.detail).toBe(`Rate limit of 5 requests per minute exceeded; retry in ${seconds}s`);

    // Still limited on the next request, on any route.
    await expectProblem(await verify(key), 429);
    await expectProblem(await call("/v1/zones", { key }), 429);
  });

  it("every route shares one key's budget, and a limited request does nothing", async () => {
    const key = await limitedKey(3);
    expect((await call("/v1/zones", { key })).status).toBe(200);
    expect((await verify(key)).status).toBe(200);
    expect((await call("/v1/zones/A1", { key })).status).toBe(200);

    const zone = flatZone();
    await expectProblem(await call("/v1/zones", { key, body: zone }), 429);
    await expectProblem(await call(`/v1/zones/${zone.code}`, { key: DEMO_ADMIN }), 404);
  });

  it("one key's exhaustion leaves other keys of the same tenant alone", async () => {
    const [spent, fresh] = [await limitedKey(2), await limitedKey(2)];
    await verify(spent);
    await verify(spent);
    await expectProblem(await verify(spent), 429);

    const res = await verify(fresh);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-remaining")).toBe("1");
    const officer = await verify(OFFICER);
    expect(officer.status).toBe(200);
    expect(officer.headers.get("ratelimit-limit")).toBe("6000");
  });

  it("a request refused for a missing scope still spends from the key's budget", async () => {
    const key = await limitedKey(2, ["zones:read"]);
    await expectProblem(await verify(key), 403);
    await expectProblem(await verify(key), 403);
    await expectProblem(await call("/v1/zones", { key }), 429);
  });

  it("unauthenticated requests are refused before any budget is involved", async () => {
    const res = await call("/v1/verify", { key: null, body: { plate: "ABC123", zone: "A1" } });
    await expectProblem(res, 401);
    expect(res.headers.get("ratelimit-limit")).toBeNull();
  });

  it("signed-in staff get a per-user limit of 1200 a minute", async () => {
    const token = await signStaffJwt(env, { sub: `usr_rl_${uniq(8)}` });
    const res = await verify(token);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).toBe("1200");
    expect(Number(res.headers.get("ratelimit-remaining"))).toBeLessThan(1200);
  });
});

describe("RateLimiter Durable Object", () => {
  const T = 1_700_000_000_000;
  const limiter = () => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`unit-${uniq(16)}`));

  it("a fresh bucket holds exactly the limit and hands it out however it is asked", async () => {
    const rl = limiter();
    expect(await rl.lease(10, 4, T)).toEqual({ granted: 4, remaining: 6, retryAfterMs: 0, fullInMs: 24_000 });
    expect(await rl.lease(10, 4, T)).toEqual({ granted: 4, remaining: 2, retryAfterMs: 0, fullInMs: 48_000 });
    expect(await rl.lease(10, 4, T)).toEqual({ granted: 2, remaining: 0, retryAfterMs: 0, fullInMs: 60_000 });
    expect(await rl.lease(10, 1, T)).toEqual({ granted: 0, remaining: 0, retryAfterMs: 6_000, fullInMs: 60_000 });

    let total = 0;
    const other = limiter();
    for (let i = 0; i < 40; i++) total += (await other.lease(25, 1 + (i % 4), T)).granted;
    expect(total).toBe(25);
  });

  it("a clock that steps back never refills the bucket, nor counts the same time twice", async () => {
    const rl = limiter();
    let total = 0;
    for (let i = 0; i < 40; i++) total += (await rl.lease(25, 1 + (i % 4), T + (i % 2))).granted;
    expect(total).toBe(25);

    const drained = limiter();
    await drained.lease(10, 10, T + 1_000);
    expect((await drained.lease(10, 10, T)).granted).toBe(0);
    expect((await drained.lease(10, 10, T + 1_000)).granted).toBe(0);
    expect((await drained.lease(10, 10, T + 6_999)).granted).toBe(0);
    expect((await drained.lease(10, 10, T + 7_000)).granted).toBe(1);
  });

  it("refills continuously: a token is back after 60 s / limit, and retryAfterMs says when", async () => {
    const rl = limiter();
    await rl.lease(10, 10, T);
    expect(await rl.lease(10, 1, T + 3_000)).toEqual({ granted: 0, remaining: 0, retryAfterMs: 3_000, fullInMs: 57_000 });
    expect(await rl.lease(10, 5, T + 6_000)).toMatchObject({ granted: 1, remaining: 0 });
    expect(await rl.lease(10, 5, T + 6_001)).toMatchObject({ granted: 0, retryAfterMs: 5_999 });
    expect(await rl.lease(10, 5, T + 24_000)).toMatchObject({ granted: 3, remaining: 0 });
  });

  it("retryAfterMs is never too early: a lease at now + retryAfterMs gets a token, one a little before does not", async () => {
    for (const [limit, offset] of [
      [5, 0],
      [5, 5_555],
      [10, 1_234],
      [60, 250],
      [100, 333],
      [7, 7],
      [600, 40],
    ] as const) {
      const replay = async () => {
        const rl = limiter();
        await rl.lease(limit, limit, T);
        return { rl, first: await rl.lease(limit, 1, T + offset) };
      };
      const early = await replay();
      expect(early.first.granted, `limit ${limit}`).toBe(0);
      const wait = early.first.retryAfterMs;
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(Math.ceil(60_000 / limit));
      expect((await early.rl.lease(limit, 1, T + offset + wait - 2)).granted, `limit ${limit} before`).toBe(0);
      const onTime = await replay();
      expect((await onTime.rl.lease(limit, 1, T + offset + wait)).granted, `limit ${limit} on time`).toBe(1);
    }
  });

  it("an idle bucket fills to the limit and no further", async () => {
    const rl = limiter();
    await rl.lease(10, 10, T);
    expect(await rl.lease(10, 1_000, T + 10 * 60_000)).toEqual({ granted: 10, remaining: 0, retryAfterMs: 0, fullInMs: 60_000 });
  });

  it("hammered for three minutes, it grants the burst plus the refill exactly, and exactly the limit in every minute after the burst", async () => {
    const limit = 12;
    const rl = limiter();
    const grants: [number, number][] = [];
    for (let t = 0; t < 180_000; t += 250) grants.push([t, (await rl.lease(limit, 2, T + t)).granted]);

    const total = grants.reduce((n, [, g]) => n + g, 0);
    const last = grants[grants.length - 1]![0];
    expect(total).toBe(limit + Math.floor((last * limit) / 60_000));

    const within = (from: number) => grants.filter(([t]) => t >= from && t < from + 60_000).reduce((n, [, g]) => n + g, 0);
    expect(within(0)).toBe(2 * limit - 1); // the stored burst plus what refills during the first minute
    // Once the stored burst is spent, every full minute holds exactly the limit: no more, and no less.
    const drained = grants.find(([, g]) => g === 0)![0];
    expect(drained).toBe(1_500);
    for (const [from] of grants)
      if (from >= drained && from + 60_000 <= last) expect(within(from), `window from ${from}`).toBe(limit);
  });

  it("tokens an isolate hands back are granted again, never past the limit, and nonsense counts are ignored", async () => {
    const rl = limiter();
    await rl.lease(10, 10, T);
    expect(await rl.lease(10, 0, T, 4)).toMatchObject({ granted: 0, remaining: 4 });
    expect(await rl.lease(10, 10, T, 3)).toMatchObject({ granted: 7, remaining: 0 });
    expect(await rl.lease(10, 0, T, 100)).toMatchObject({ granted: 0, remaining: 10 });
    expect(await rl.lease(10, 10, T + 30_000, 5)).toMatchObject({ granted: 10, remaining: 0 });
    for (const junk of [-5, Number.NaN]) expect(await rl.lease(10, 10, T + 30_000, junk)).toMatchObject({ granted: 0 });
  });

  it("a lowered limit caps what is left at once", async () => {
    const rl = limiter();
    expect((await rl.lease(10, 1, T)).granted).toBe(1);
    expect(await rl.lease(4, 100, T)).toMatchObject({ granted: 4, remaining: 0 });
    expect((await rl.lease(4, 1, T)).granted).toBe(0);
  });

  it("each name is its own bucket", async () => {
    const [a, b] = [limiter(), limiter()];
    await a.lease(3, 3, T);
    expect((await a.lease(3, 1, T)).granted).toBe(0);
    expect(await b.lease(3, 3, T)).toMatchObject({ granted: 3 });
  });
});
