// Builds the SignedRequest a route would hand to a recipe.
import type { SignedRequest } from "../../../src/webhooks/contract";

export const NOW_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z, fixed so staleness is exact
export const NOW_S = NOW_MS / 1000;

export function signedRequest(parts: {
  body: string | Uint8Array;
  headers?: Record<string, string>;
  url?: string;
  nowMs?: number;
}): SignedRequest {
  return {
    rawBody: typeof parts.body === "string" ? new TextEncoder().encode(parts.body) : parts.body,
    headers: new Headers(parts.headers ?? {}),
    url: parts.url ?? "https://api.curbgate.test/v1/webhooks/city/provider",
    nowMs: parts.nowMs ?? NOW_MS,
  };
}

/** A random `whsec_<base64>` secret, shaped like Stripe's and Standard Webhooks' secrets. */
export function randomWhsec(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
