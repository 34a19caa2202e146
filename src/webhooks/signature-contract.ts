// What every signature recipe receives and returns. Recipes are pure: no bindings, no I/O, no clock.

/** One delivery exactly as it reached us; `rawBody` is the only copy of the body we trust. */
export interface SignedRequest {
  rawBody: Uint8Array;
  headers: Headers;
  /** The full URL the vendor called, with query. */
  url: string;
  nowMs: number;
}

/** `reason` is short and safe to log: it never contains a secret or a signature value. */
export type SignatureResult = { ok: true } | { ok: false; reason: string };

/** Shared by every recipe whose vendor signs a timestamp. */
export interface TimestampOptions {
  /** Accepted clock difference in seconds, both directions (default 300). */
  toleranceSeconds?: number;
}
