// Small request and response helpers shared by the simulated providers.

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A form or JSON body as flat string fields (form) or the parsed object (JSON); {} when empty. */
export async function readBody(req: Request): Promise<{ text: string; fields: Record<string, unknown> }> {
  // Bytes then UTF-8, because workerd warns when .text() meets a form body.
  const text = req.method === "GET" || req.method === "HEAD" ? "" : new TextDecoder().decode(await req.arrayBuffer());
  if (!text) return { text, fields: {} };
  if ((req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded"))
    return { text, fields: Object.fromEntries(new URLSearchParams(text)) };
  try {
    const parsed: unknown = JSON.parse(text);
    return { text, fields: parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {} };
  } catch {
    return { text, fields: {} };
  }
}

/** Stripe-style nested form keys: `metadata[session_id]=x` -> { session_id: "x" } for prefix "metadata". */
export function nested(fields: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    const m = k.match(/^(\w+)\[(\w+)\]$/);
    if (m && m[1] === prefix) out[m[2]!] = String(v);
  }
  return out;
}

/** The user and password of an HTTP Basic Authorization header, or null. */
export function basicAuth(req: Request): { user: string; password: string } | null {
  const header = req.headers.get("authorization") ?? "";
  if (!header.startsWith("Basic ")) return null;
  try {
    const decoded = atob(header.slice(6).trim());
    const colon = decoded.indexOf(":");
    return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch {
    return null;
  }
}

/** The token after `scheme ` in the Authorization header, or null. */
export function schemeToken(req: Request, scheme: string): string | null {
  const header = req.headers.get("authorization") ?? "";
  return header.toLowerCase().startsWith(`${scheme.toLowerCase()} `) ? header.slice(scheme.length + 1).trim() : null;
}

const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** A provider-style object id: prefix plus random characters (hex when asked, as Twilio's SIDs are). */
export function objectId(prefix: string, length = 24, hex = false): string {
  const chars = hex ? "0123456789abcdef" : ALPHANUM;
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return prefix + Array.from(bytes, (b) => chars[b % chars.length]).join("");
}

/** A short, stable, non-reversible label for a credential, so observations never echo the credential itself. */
export function accountLabel(credential: string): string {
  let h = 0x811c9dc5; // FNV-1a: a label, not a security boundary
  for (let i = 0; i < credential.length; i++) h = Math.imul(h ^ credential.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** A non-negative dollar amount with at most two decimals (as the parking vendors' wire formats carry money). */
export const isDollars = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0 && Math.abs(Math.round(v * 100) - v * 100) < 1e-6;

/** Lowercase hex HMAC-SHA256 of `message` keyed with `secret` (both UTF-8): what Stripe and the parking vendors sign with. */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** True for an absolute http(s) URL: where a webhook endpoint may point. */
export function isHttpUrl(v: unknown): v is string {
  if (typeof v !== "string") return false;
  try {
    return /^https?:$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
}
