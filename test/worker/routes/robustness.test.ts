// "No input yields a 5xx": every credentialed route gets a spread of hostile and malformed inputs
// and must answer with a 4xx problem+json (or a 2xx), never a 5xx or a stack trace.
import { describe, expect, it } from "vitest";
import { call, DEMO_ADMIN } from "../fixtures";

const JUNK: unknown[] = [
  null,
  0,
  -1,
  1e308,
  "",
  "x".repeat(5000),
  [],
  [1, 2],
  true,
  {},
  { __proto__: { admin: true } },
  { plate: null, zone: null },
  { plate: 123, zone: ["A1"] },
  { plate: "---", zone: "A1" },
  { plate: "ABC123", zone: "A1", at: "2026-13-45T99:00:00Z" },
  { plate: "ABC123", zone: "A1", at: "0000-01-01T00:00:00Z" },
  { plate: "ABC123", zone: "A1", at: "9999-12-31T23:59:59Z" },
  { plate: "ÅBC١٢٣", zone: "A1" },
  { plate: "ABC123", zone: "../B2" },
  { plate: "ABC123", zone: "A1", minutes: -15 },
  { plate: "ABC123", zone: "A1", minutes: 1.5 },
  { plate: "ABC123", zone: "A1", minutes: 1e9 },
  { plate: "ABC123", zone: "A1", minutes: 15, startTime: "yesterday" },
  { checks: Array.from({ length: 101 }, () => ({ plate: "A", zone: "A1" })) },
  { checks: [{}] },
  { code: "Z1", name: "x", timezone: "Mars/Olympus", rateSlots: [], enforcement: [], graceMinutes: 0, maxStayMinutes: 60 },
  {
    code: "Z2",
    name: "x",
    rateSlots: [{ days: ["XYZ"], start: "25:00", end: "08:00", rateCentsPerHour: -1 }],
    enforcement: [],
    graceMinutes: 0,
    maxStayMinutes: 60,
  },
  { plate: "ABC123", type: "RESIDENTIAL", zones: ["A1"], validUntil: "2020-01-01T00:00:00Z" },
  { plate: "ABC123", type: "ROYAL", zones: [], validUntil: "soon" },
  { requestId: "r", timestamp: "now", licensePlate: "ABC123", location: {} },
  { email: "not-an-email", password: "" },
];

const POSTS = [
  "/v1/verify",
  "/v1/verify/batch",
  "/v1/sessions",
  "/v1/zones",
  "/v1/permits",
  "/api/ips/verify",
  "/v1/auth/login",
  "/v1/sessions/ses_A1_AAAAAAAAAAAAAAAAAAAA/extend",
];
const GETS = [
  "/v1/sessions?limit=0",
  "/v1/sessions?limit=abc&active=maybe",
  "/v1/sessions?before=yesterday",
  "/v1/sessions/%00",
  "/v1/sessions/ses_A1_AAAAAAAAAAAAAAAAAAAA",
  "/v1/zones/%2e%2e",
  `/v1/zones/${"A".repeat(200)}`,
  "/v1/permits?status=lost",
  "/v1/permits/prm_nope",
  "/api/aims/lookup/ABC123",
  "/api/aims/lookup/ABC123?zone=A1&state=Connecticut",
  "/api/aims/lookup/%20?zone=A1",
];

describe("hostile input never yields a 5xx", () => {
  it.each(POSTS)("POST %s", async (path) => {
    for (const body of JUNK) {
      const res = await call(path, { key: DEMO_ADMIN, body });
      expect(res.status, `${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBeLessThan(500);
      if (res.status >= 400) {
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        const problem = (await res.json()) as any;
        expect(problem.status).toBe(res.status);
        expect(JSON.stringify(problem)).not.toMatch(/at \w+ \(|\.ts:\d+/); // no stack traces
      }
    }
  });

  it.each(GETS)("GET %s", async (path) => {
    const res = await call(path, { key: DEMO_ADMIN });
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("a body that is not JSON at all, or claims another type, is a 4xx", async () => {
    for (const [type, body] of [
      ["application/json", "{"],
      ["text/plain", "plate=ABC123"],
      ["application/x-www-form-urlencoded", "plate=ABC123&zone=A1"],
    ]) {
      const res = await call("/v1/verify", { key: DEMO_ADMIN, body, headers: { "content-type": type! } });
      expect(res.status, type).toBeGreaterThanOrEqual(400);
      expect(res.status, type).toBeLessThan(500);
    }
  });
});
