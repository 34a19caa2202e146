// What code below the route layer throws when a caller can act on it: a kind, a detail that is safe to
// show, and the fields at fault. It knows nothing of HTTP; src/http/errors.ts turns each kind into a
// status and problem+json, in one place.

/** Which part of the request a field error names. */
export interface FieldError {
  location: "body" | "query" | "path" | "header";
  path: string;
  message: string;
}

/**
 * - `malformed`: the input is not what it must be at all (400); `invalid`: well-formed but refused (422)
 * - `unauthenticated`: a signature or credential does not check out (401)
 * - `not_found`, `conflict` (the state does not allow it now), `too_large` (413)
 * - `unsupported`: content of a kind that is not accepted, judged by its bytes (415)
 * - `unavailable`: a dependency this request needs is down or not configured (503)
 */
export type FailureKind =
  | "malformed"
  | "invalid"
  | "unauthenticated"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported"
  | "unavailable";

export class Failure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Further members for the problem+json (safe to show), e.g. when a refused action may be tried again. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "Failure";
  }
}

export const isFailure = (err: unknown, ...kinds: FailureKind[]): err is Failure =>
  err instanceof Failure && (kinds.length === 0 || kinds.includes(err.kind));
