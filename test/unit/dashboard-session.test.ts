// The dashboard's staff session (dashboard/src/auth/session.ts): kept in sessionStorage only, refreshed a
// minute before the token expires, dropped on sign-out or when a refresh is refused near expiry.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

class MemoryStorage {
  private items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

const MIN = 60_000;
const staff = (expiresInMs: number, role = "tenant_admin", token = "tok-1") => ({
  token,
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  sessionExpiresAt: new Date(Date.now() + 12 * 60 * MIN).toISOString(),
  user: { id: "usr_1", email: "a@demo.test", role, tenantId: "demo" },
});

let storage: MemoryStorage;
async function load() {
  vi.resetModules();
  return (await import("../../dashboard/src/auth/session")).session;
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse("2026-11-23T15:00:00Z") });
  storage = new MemoryStorage();
  vi.stubGlobal("sessionStorage", storage);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("staff session", () => {
  it("keeps the token in sessionStorage and forgets it on sign-out", async () => {
    const session = await load();
    session.start(staff(15 * MIN));
    expect(JSON.parse(storage.getItem("curbgate.staff")!).token).toBe("tok-1");
    expect((await load()).token()).toBe("tok-1"); // a reload of the tab finds it
    session.end("You signed out.");
    expect(storage.getItem("curbgate.staff")).toBeNull();
    expect(session.token()).toBeNull();
    expect(session.notice()).toBe("You signed out.");
  });

  it("ignores a stored token that has already expired", async () => {
    storage.setItem("curbgate.staff", JSON.stringify(staff(-1000)));
    expect((await load()).get()).toBeNull();
  });

  it("refreshes a minute before expiry and keeps the fresh token", async () => {
    const session = await load();
    const refresher = vi.fn(async () => staff(15 * MIN, "tenant_admin", "tok-2"));
    session.useRefresher(refresher);
    session.start(staff(15 * MIN));
    await vi.advanceTimersByTimeAsync(13 * MIN);
    expect(refresher).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1 * MIN + 1000);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(session.token()).toBe("tok-2");
    expect(JSON.parse(storage.getItem("curbgate.staff")!).token).toBe("tok-2");
    await vi.advanceTimersByTimeAsync(14 * MIN + 1000); // and again for the next token
    expect(refresher).toHaveBeenCalledTimes(2);
  });

  it("signs out at once, saying why, when the API refuses the refresh", async () => {
    const session = await load();
    session.useRefresher(async () => {
      throw Object.assign(new Error("The sign-in is too old to refresh"), { status: 401 });
    });
    session.start(staff(10 * MIN));
    await vi.advanceTimersByTimeAsync(9 * MIN + 1000);
    expect(session.token()).toBeNull();
    expect(session.notice()).toMatch(/session has ended/);
  });

  it("keeps retrying through network failures, and signs out only when the token runs out", async () => {
    const session = await load();
    const refresher = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    session.useRefresher(refresher);
    session.start(staff(61_000));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(session.token()).toBe("tok-1");
    expect(refresher.mock.calls.length).toBeGreaterThan(2);
    await vi.advanceTimersByTimeAsync(31_000);
    expect(session.token()).toBeNull();
  });

  it("retries a failed refresh while the token still has time", async () => {
    const session = await load();
    let calls = 0;
    session.useRefresher(async () => {
      if (++calls === 1) throw new Error("network");
      return staff(15 * MIN, "tenant_admin", "tok-3");
    });
    session.start(staff(5 * MIN));
    await vi.advanceTimersByTimeAsync(4 * MIN + 1000);
    expect(calls).toBe(1);
    expect(session.token()).toBe("tok-1");
    await vi.advanceTimersByTimeAsync(7_000);
    expect(calls).toBe(2);
    expect(session.token()).toBe("tok-3");
  });

  it("knows what the role may change, by the same scopes the API enforces", async () => {
    const session = await load();
    session.start(staff(15 * MIN, "viewer"));
    expect(session.can("permits:read")).toBe(true);
    expect(session.can("permits:write")).toBe(false);
    expect(session.can("zones:write")).toBe(false);
    session.start(staff(15 * MIN, "tenant_admin"));
    expect(session.can("permits:write")).toBe(true);
    expect(session.can("platform:admin")).toBe(false);
    session.start(staff(15 * MIN, "made_up_role"));
    expect(session.can("zones:read")).toBe(false);
  });
});
