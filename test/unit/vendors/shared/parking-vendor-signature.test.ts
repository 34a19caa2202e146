// IPS Group, Teller and Parkeon: our documented format, checked against node:crypto computing it
// from the written description (not from signVendorHmac).
import { describe, expect, it } from "vitest";
import { signVendorHmac, verifyVendorHmac, type ParkingVendor } from "../../../../src/vendors/shared/parking-vendor-signature";
import { nodeCrypto } from "../node-crypto";
import { NOW_S, signedRequest } from "../request";

const body = JSON.stringify({
  event: "citation.paid",
  citationId: "CIT-2024-000123",
  amount: 5500,
  paidAt: "2026-01-01T00:00:00Z",
});
const secrets: Record<ParkingVendor, string> = {
  IPS: "ips_webhook_prod_secret",
  Teller: "teller_wh_live_secret",
  Parkeon: "parkeon_webhook_secret",
};

const documented = (vendor: ParkingVendor, key: string, timestamp: number, payload = body) => ({
  [`X-${vendor}-Timestamp`]: String(timestamp),
  [`X-${vendor}-Signature`]: `sha256=${nodeCrypto.createHmac("sha256", key).update(`${timestamp}.${payload}`).digest("hex")}`,
});
const req = (headers: Record<string, string>, payload = body) => signedRequest({ body: payload, headers });

describe.each(["IPS", "Teller", "Parkeon"] as const)("verifyVendorHmac(%s)", (vendor) => {
  const secret = secrets[vendor];

  it("accepts the documented X-<Vendor>-Timestamp / X-<Vendor>-Signature: sha256=<hex> format", async () => {
    expect(await verifyVendorHmac(vendor, req(documented(vendor, secret, NOW_S)), [secret])).toEqual({ ok: true });
  });

  it("signs exactly the documented headers", async () => {
    expect(await signVendorHmac(vendor, secret, NOW_S, body)).toEqual(documented(vendor, secret, NOW_S));
    expect(await signVendorHmac(vendor, secret, NOW_S, new TextEncoder().encode(body))).toEqual(
      documented(vendor, secret, NOW_S),
    );
  });

  it("rejects a tampered body", async () => {
    expect(await verifyVendorHmac(vendor, req(documented(vendor, secret, NOW_S), body.replace("5500", "1")), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects another secret", async () => {
    expect(await verifyVendorHmac(vendor, req(documented(vendor, "not-the-secret", NOW_S)), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects timestamps more than 300 s away in either direction, and a re-stamped delivery", async () => {
    expect(await verifyVendorHmac(vendor, req(documented(vendor, secret, NOW_S - 301)), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(await verifyVendorHmac(vendor, req(documented(vendor, secret, NOW_S + 301)), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    const restamped = { ...documented(vendor, secret, NOW_S - 400), [`X-${vendor}-Timestamp`]: String(NOW_S) };
    expect(await verifyVendorHmac(vendor, req(restamped), [secret])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects missing headers and another vendor's headers", async () => {
    const { [`X-${vendor}-Signature`]: signature, [`X-${vendor}-Timestamp`]: timestamp } = documented(vendor, secret, NOW_S);
    expect(await verifyVendorHmac(vendor, req({ [`X-${vendor}-Timestamp`]: timestamp! }), [secret])).toEqual({
      ok: false,
      reason: `missing x-${vendor.toLowerCase()}-signature header`,
    });
    expect(await verifyVendorHmac(vendor, req({ [`X-${vendor}-Signature`]: signature! }), [secret])).toEqual({
      ok: false,
      reason: `missing x-${vendor.toLowerCase()}-timestamp header`,
    });
    const other: ParkingVendor = vendor === "IPS" ? "Teller" : "IPS";
    expect(await verifyVendorHmac(vendor, req(documented(other, secret, NOW_S)), [secret])).toMatchObject({ ok: false });
  });

  it("accepts either secret during rotation, and a header listing both signatures", async () => {
    const previous = `${secret}_previous`;
    expect(await verifyVendorHmac(vendor, req(documented(vendor, previous, NOW_S)), [secret, previous])).toEqual({ ok: true });
    expect(await verifyVendorHmac(vendor, req(documented(vendor, secret, NOW_S)), [secret, previous])).toEqual({ ok: true });
    const both = documented(vendor, previous, NOW_S);
    both[`X-${vendor}-Signature`] =
      `${documented(vendor, secret, NOW_S)[`X-${vendor}-Signature`]}, ${both[`X-${vendor}-Signature`]}`;
    expect(await verifyVendorHmac(vendor, req(both), [previous])).toEqual({ ok: true });
  });
});
