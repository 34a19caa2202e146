// The dashboard's only way to the API: the typed client generated from the worker's OpenAPI document
// (schema.d.ts, `npm run gen:api`), with the staff token attached. The API's origin is this page's own,
// unless the deploy wrote another into <meta name="curbgate-api-origin"> (Cloudflare Pages + CORS).
import createClient, { type Middleware } from "openapi-fetch";
import { session } from "../auth/session";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const configured = document.querySelector<HTMLMetaElement>('meta[name="curbgate-api-origin"]')?.content.trim().replace(/\/$/, "");
export const apiOrigin = configured || location.origin;

const withToken: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set("authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or revoked token: back to the sign-in page, saying why.
    if (response.status === 401 && session.token()) session.end("Your session has ended. Sign in again.");
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: apiOrigin });
api.use(withToken);

export interface FieldProblem {
  location: string;
  path: string;
  message: string;
}

/** An RFC 9457 problem the API answered with; `fields` maps a field path (e.g. "rateSlots.0.start") to its message. */
export class ApiProblem extends Error {
  readonly fields: Record<string, string>;
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(message);
    this.fields = Object.fromEntries(errors.map((e) => [e.path, e.message]));
  }
}

function problemOf(status: number, body: unknown): ApiProblem {
  const p = (body ?? {}) as { detail?: string; title?: string; errors?: FieldProblem[] };
  if (status === 403)
    return new ApiProblem(403, p.detail ? `Not allowed: ${p.detail}` : "Your role does not allow this.", p.errors);
  return new ApiProblem(status, p.detail ?? p.title ?? `The API answered ${status}`, p.errors);
}

/** The data of a typed call, or its problem thrown. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemOf(response.status, error);
  return data as NonNullable<T>;
}

/** Routes the generated types do not know yet (being added in other branches): same auth, untyped. */
export async function raw<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; data: T | null }> {
  const headers = new Headers({ accept: "application/json" });
  const token = session.token();
  if (token) headers.set("authorization", `Bearer ${token}`);
  if (body !== undefined) headers.set("content-type", "application/json");
  const res = await fetch(apiOrigin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401 && token) session.end("Your session has ended. Sign in again.");
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok && res.status !== 404) throw problemOf(res.status, parsed);
  return { status: res.status, data: res.ok ? (parsed as T) : null };
}

/** A readable sentence for any error a page shows. */
export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
