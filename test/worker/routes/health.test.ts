import { describe, expect, it } from "vitest";
import { call } from "../fixtures";

describe("health", () => {
  it("live answers without credentials", async () => {
    const res = await call("/health/live", { key: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ready checks D1", async () => {
    const res = await call("/health/ready", { key: null });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).checks.d1.ok).toBe(true);
  });

  it("deep checks every binding", async () => {
    const res = await call("/health/deep", { key: null });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual([
      "d1",
      "durableObjects",
      "kv",
      "r2",
      "syncQueue",
      "webhookDeadLetterQueue",
      "webhookQueue",
    ]);
    for (const check of Object.values(body.checks) as any[]) expect(check.ok).toBe(true);
  });

  it("echoes a sane caller request id and replaces an unsafe one", async () => {
    const sane = await call("/health/live", { key: null, headers: { "x-request-id": "req-123" } });
    expect(sane.headers.get("x-request-id")).toBe("req-123");
    const unsafe = await call("/health/live", { key: null, headers: { "x-request-id": "<script>" } });
    expect(unsafe.headers.get("x-request-id")).not.toBe("<script>");
  });
});
