// How an outbound call failed, and what the sync engine should do about it.
export type CallFailureKind =
  | "circuit_open"
  | "rate_limited"
  | "unavailable"
  | "timeout"
  | "network"
  | "auth"
  | "client"
  | "server";

export class ProviderCallError extends Error {
  constructor(
    readonly kind: CallFailureKind,
    message: string,
    readonly status: number | null = null,
    /** The provider's (or the breaker's) own word on when to try again. */
    readonly retryAfterMs: number | null = null,
    /** The provider's answer, parsed (kept in memory only: OAuth error codes, "token expired" bodies). */
    readonly body?: unknown,
  ) {
    super(message);
  }

  /** Client errors (other than 408/409/429) will fail the same way again; everything else may pass later. */
  get retryable(): boolean {
    return this.kind !== "client" && this.kind !== "auth";
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null if absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}
