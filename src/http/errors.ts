// The last word on errors: known ones become problem+json, unknown ones a bare 500 with the request
// id (and a log line), never a stack trace.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env";
import { Failure, type FailureKind } from "../lib/failure";
import { log } from "../lib/log";
import { ApiError, problemResponse } from "./problem";

const STATUS: Record<FailureKind, 400 | 401 | 404 | 409 | 413 | 415 | 422 | 503> = {
  malformed: 400,
  unauthenticated: 401,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  invalid: 422,
  unavailable: 503,
};

/** The HTTP status a failure from below the route layer answers with. */
export const statusOf = (failure: Failure) => STATUS[failure.kind];

export function onError(err: Error, c: Context<AppEnv>) {
  if (err instanceof ApiError) return problemResponse(c, err.status, err.detail, err.extra);
  if (err instanceof Failure)
    return problemResponse(c, STATUS[err.kind], err.detail, {
      ...err.extra,
      ...(err.errors.length ? { errors: err.errors } : {}),
    });
  if (err instanceof HTTPException) {
    const detail = err.status === 400 && /JSON/i.test(err.message) ? "The request body is not valid JSON" : err.message;
    return problemResponse(c, err.status, detail);
  }
  log.error("unhandled error", { requestId: c.get("requestId"), path: c.req.path, error: String(err) });
  return problemResponse(c, 500, "Something went wrong on our side; quote the request id if you contact us");
}

export const notFoundHandler = (c: Context<AppEnv>) => problemResponse(c, 404, `No route for ${c.req.method} ${c.req.path}`);
