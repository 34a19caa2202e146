// How an isolate leases: every granted token goes to one pool per key; the request that finds it empty
// leases tokens to keep, the ones that come meanwhile lease one each; a busy key's pool is topped up in
// the background before it runs dry; a short grant admits exactly as many
// as it holds and the rest are refused with a true Retry-After, remembered; lapsed tokens go back to
// the object; a lost or failed lease never wedges a key. Driven through LeaseCache against
// the real RateLimiter object, with its calls watched, and through the route with separate requests.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LeaseCache, type Admission, type Limiters } from "../../../src/ratelimit/lease-cache";
import { addKey, call, uniq } from "../fixtures";

/** The RATE_LIMITER namespace, recording every lease asked for; chosen calls (1-based) fail or never return. */
function watched(trouble: { fail?: number; hang?: number } = {}) {
  const calls: { want: number; returned: number }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const limiters: Limiters = {
    idFromName: (name) => env.RATE_LIMITER.idFromName(name),
    get: (id) => ({
      async lease(limitPerMinute, want, nowMs, returned = 0) {
        const n = calls.push({ want, returned });
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          if (n === trouble.hang) await new Promise(() => {});
          if (n === trouble.fail) throw new Error("limiter unavailable");
          return await env.RATE_LIMITER.get(id).lease(limitPerMinute, want, nowMs, returned);
        } finally {
          inFlight--;
        }
      },
    }),
  };
  return { limiters, calls, mostInFlight: () => mostInFlight };
}

const bucket = () => `leases-${uniq(16)}`;
const admitted = (all: Admission[]) => all.filter((a) => a.admitted).length;

describe("LeaseCache", () => {
  it("a request with a local token in hand gets it at once: no promise, and the same object every time", async () => {
    const cache = new LeaseCache();
    const { limiters, calls } = watched();
    const name = bucket();
    expect(await cache.admit(name, 6_000, limiters, Date.now())).toMatchObject({ admitted: true, remaining: 5_999 });
    const first = cache.admit(name, 6_000, limiters, Date.now());
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ admitted: true, remaining: 5_998 });
    const second = cache.admit(name, 6_000, limiters, Date.now());
    expect(second).toBe(first);
    expect(calls).toHaveLength(1);
  });

  it("requests that find the pool empty while a lease is out lease one token each, and every token lands in the pool", async () => {
    const cache = new LeaseCache();
    const { limiters, calls } = watched();
    const name = bucket();
    const now = Date.now();
    const all = await Promise.all(Array.from({ length: 31 }, () => cache.admit(name, 6_000, limiters, now)));
    expect(admitted(all)).toBe(31);
    // The first asked for itself plus 24 to keep (6 000/min leases 25); the 30 that came while it was out
    // leased one each. The 24 kept were not lost to their answers: they are spent here without asking.
    expect(calls).toEqual([{ want: 25, returned: 0 }, ...Array.from({ length: 30 }, () => ({ want: 1, returned: 0 }))]);
    for (let i = 0; i < 24; i++) expect(cache.admit(name, 6_000, limiters, now)).not.toBeInstanceOf(Promise);
  });

  it("a busy key's pool is topped up in the background before it runs dry: nobody waits, one call per lease", async () => {
    const cache = new LeaseCache();
    const { limiters, calls } = watched();
    const background: Promise<unknown>[] = [];
    const defer = (work: Promise<unknown>) => void background.push(work);
    const name = bucket();
    const now = Date.now();
    expect(await cache.admit(name, 6_000, limiters, now, defer)).toMatchObject({ admitted: true });
    // 24 kept; the request that takes the pool below half a lease (12) starts the next lease, once.
    for (let i = 0; i < 24; i++) expect(cache.admit(name, 6_000, limiters, now, defer)).not.toBeInstanceOf(Promise);
    expect(background).toHaveLength(1);
    await Promise.all(background);
    for (let i = 0; i < 25; i++) expect(cache.admit(name, 6_000, limiters, now, defer)).not.toBeInstanceOf(Promise);
    expect(background).toHaveLength(2);
    await Promise.all(background);
    expect(calls.map((c) => c.want)).toEqual([25, 25, 25]);
    // A key under 2 400 a minute never leases ahead: a token held back is one another isolate lacks.
    const small = bucket();
    expect(await cache.admit(small, 600, limiters, now, defer)).toMatchObject({ admitted: true });
    expect(cache.admit(small, 600, limiters, now, defer)).not.toBeInstanceOf(Promise);
    expect(cache.admit(small, 600, limiters, now, defer)).toBeInstanceOf(Promise);
    expect(background).toHaveLength(2);
  });

  it("a short grant admits exactly as many as it holds and refuses the rest until the next token, without asking again", async () => {
    const cache = new LeaseCache();
    const { limiters, calls } = watched();
    const name = bucket();
    const started = Date.now();
    const all = await Promise.all(Array.from({ length: 16 }, () => cache.admit(name, 10, limiters, started)));
    const elapsed = Date.now() - started;

    expect(admitted(all)).toBe(10);
    const waits = all.flatMap((a) => (a.admitted ? [] : [a.retryAfterMs]));
    expect(waits).toHaveLength(6);
    // At 10 a minute a token is back 6 s after the bucket emptied, less what has refilled since it was
    // first asked; the object itself confirms it holds nothing sooner.
    for (const wait of waits) {
      expect(wait).toBeLessThanOrEqual(6_000);
      expect(wait).toBeGreaterThanOrEqual(6_000 - elapsed - 1);
    }
    expect((await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name)).lease(10, 1)).granted).toBe(0);

    const leases = calls.length;
    const again = cache.admit(name, 10, limiters, Date.now());
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toMatchObject({ admitted: false });
    expect((again as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(Math.max(...waits));
    expect(calls).toHaveLength(leases);
  });

  it("tokens that lapsed unspent go back to the object with the next lease, so a quiet isolate under-admits nobody", async () => {
    const cache = new LeaseCache();
    const { limiters, calls } = watched();
    const name = bucket();
    const now = Date.now();
    await cache.admit(name, 6_000, limiters, now); // leases 25, spends 1, keeps 24
    const later = (await cache.admit(name, 6_000, limiters, now + 1_001)) as Admission & { remaining: number };

    expect(calls).toEqual([
      { want: 25, returned: 0 },
      { want: 25, returned: 24 },
    ]);
    // 6 000 − 25 − 25 + the 24 handed back leaves 5 974 in the bucket, plus what refilled at 100 a second
    // (without the return it would be 5 950); with the 24 kept here, 5 998.
    const refilled = Math.ceil((Date.now() - now) / 10);
    expect(later.remaining).toBeGreaterThanOrEqual(5_998);
    expect(later.remaining).toBeLessThanOrEqual(5_998 + refilled);
  });

  it("a lease that fails refuses only the request that asked; the others are served by their own", async () => {
    const cache = new LeaseCache();
    const { limiters, calls } = watched({ fail: 1 });
    const name = bucket();
    const now = Date.now();
    const [leader, ...rest] = await Promise.allSettled(Array.from({ length: 5 }, () => cache.admit(name, 600, limiters, now)));

    expect(leader).toMatchObject({ status: "rejected", reason: { message: "limiter unavailable" } });
    expect(rest.map((r) => r.status === "fulfilled" && r.value.admitted)).toEqual([true, true, true, true]);
    // The four came while the first lease was out: each leased one for itself.
    expect(calls.map((c) => c.want)).toEqual([2, 1, 1, 1, 1]);
  });

  it("a lease that never comes back (its request was cancelled) holds up no other request", async () => {
    const cache = new LeaseCache();
    const { limiters, calls } = watched({ hang: 1 });
    const name = bucket();
    const now = Date.now();
    void cache.admit(name, 600, limiters, now);
    expect(await cache.admit(name, 600, limiters, now)).toMatchObject({ admitted: true });
    expect(calls.map((c) => c.want)).toEqual([2, 1]);
  });
});

describe("through the route, each plate check its own request", () => {
  it("16 plate checks at once on a 10/min key: exactly 10 pass, counting Remaining down 9..0, and 6 get 429 with the true Retry-After", async () => {
    const key = `cg_test_rl_${uniq(16)}`;
    await addKey(env, key, "demo", ["verify:read"], 10);
    const responses = await Promise.all(
      Array.from({ length: 16 }, () => call("/v1/verify", { key, body: { plate: "ABC123", zone: "A1" } })),
    );

    const passed = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    expect(passed).toHaveLength(10);
    expect(refused).toHaveLength(6);
    expect(passed.map((r) => Number(r.headers.get("ratelimit-remaining"))).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    // The next token is 6 s away once the bucket is empty (5 s only if a second passed while they ran).
    const retries = new Set(refused.map((r) => r.headers.get("retry-after")));
    expect(retries.size).toBe(1);
    expect(["5", "6"]).toContain([...retries][0]);
    await Promise.all(responses.map((r) => r.body?.cancel()));
  });
});
