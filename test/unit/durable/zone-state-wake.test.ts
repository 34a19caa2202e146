// The zone object's one alarm, arbitrated in Node with a stand-in for the object's storage.
import { describe, expect, it } from "vitest";
import { retryDelayMs, wakeAtEarliest } from "../../../durable/zone-state/wake";

const NOW = 1_800_000_000_000;

function storage(alarm: number | null) {
  const s = { alarm, sets: 0 };
  const api = {
    getAlarm: async () => s.alarm,
    setAlarm: async (at: number) => {
      s.alarm = at;
      s.sets++;
    },
  };
  return { s, api: api as unknown as DurableObjectStorage };
}

describe("wakeAtEarliest", () => {
  it("sets the earliest report, ignoring capabilities with nothing waiting", async () => {
    const { s, api } = storage(null);
    await wakeAtEarliest(api, NOW, [NOW + 3_600_000, null, NOW + 90_000], false);
    expect(s.alarm).toBe(NOW + 90_000);
  });

  it("never sets it in the past: an overdue report wakes now", async () => {
    const { s, api } = storage(null);
    await wakeAtEarliest(api, NOW, [NOW - 5_000, NOW + 1_000], false);
    expect(s.alarm).toBe(NOW);
  });

  it("after a session change only moves the alarm earlier", async () => {
    const { s, api } = storage(NOW + 10_000);
    await wakeAtEarliest(api, NOW, [NOW + 60_000], false);
    expect(s).toEqual({ alarm: NOW + 10_000, sets: 0 });
    await wakeAtEarliest(api, NOW, [NOW + 2_000], false);
    expect(s.alarm).toBe(NOW + 2_000);
  });

  it("at the end of an alarm run sets it afresh, later too", async () => {
    const { s, api } = storage(NOW + 10_000);
    await wakeAtEarliest(api, NOW, [NOW + 60_000], true);
    expect(s.alarm).toBe(NOW + 60_000);
  });

  it("leaves the alarm alone when nothing reports", async () => {
    const { s, api } = storage(null);
    await wakeAtEarliest(api, NOW, [null, null], true);
    expect(s).toEqual({ alarm: null, sets: 0 });
  });
});

describe("retryDelayMs", () => {
  it("doubles from 2 s and stops at 5 minutes", () => {
    expect([1, 2, 3, 7, 8, 9, 30].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 128_000, 256_000, 300_000, 300_000]);
  });
});
