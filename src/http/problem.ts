// RFC 9457 problem details: every error Curbgate returns has this shape, with the request id.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldError } from "../lib/failure";

export type { FieldError };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ["bad-request", "The request is malformed"],
  401: ["unauthenticated", "Authentication required"],
  403: ["forbidden", "Not allowed"],
  404: ["not-found", "Not found"],
  405: ["method-not-allowed", "Method not allowed"],
  409: ["conflict", "Conflict"],
  413: ["payload-too-large", "Request body too large"],
  415: ["unsupported-media-type", "Unsupported media type"],
  422: ["validation", "The request did not validate"],
  429: ["rate-limited", "Too many requests"],
  500: ["internal", "Internal error"],
  503: ["unavailable", "Service unavailable"],
};

/** Thrown anywhere below a route; the app's error handler turns it into problem+json. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail ?? TITLES[status]?.[1] ?? "Error");
  }
}

export const notFound = (what: string) => new ApiError(404, `${what} not found`);

export function problemResponse(c: Context, status: number, detail?: string, extra: ApiError["extra"] = {}) {
  const [slug, title] = TITLES[status] ?? ["error", "Error"];
  const { headers, ...extensions } = extra;
  const body: Problem = {
    type: `https://curbgate.dev/problems/${slug}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    instance: new URL(c.req.url).pathname,
    requestId: c.get("requestId") as string | undefined,
    ...extensions,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

/** zod issues -> field errors; the location tells a client which part of the request to fix. */
export function fieldErrors(
  location: FieldError["location"],
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldError[] {
  return issues.map((i) => ({ location, path: i.path.map(String).join(".") || "(root)", message: i.message }));
}
