// What operators may see of a delivery: headers and URL with every credential-like value masked.
const ALWAYS_SENSITIVE = ["authorization", "cookie", "proxy-authorization", "x-api-key"];
const SENSITIVE_QUERY = /^(secret|token|key|signature|sig|password)$/i;

// ASCII only: masked headers are turned back into a Headers object when an event is processed.
export const maskValue = (v: string) => (v.length <= 8 ? "****" : `${v.slice(0, 4)}...(${v.length} chars)`);

export function maskHeaders(headers: Headers, sensitive: string[] = []): Record<string, string> {
  const hidden = new Set([...ALWAYS_SENSITIVE, ...sensitive.map((h) => h.toLowerCase())]);
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    out[lower] = hidden.has(lower) || lower.includes("signature") ? maskValue(value) : value;
  });
  return out;
}

export function maskUrl(raw: string): string {
  const url = new URL(raw);
  for (const [k] of [...url.searchParams]) if (SENSITIVE_QUERY.test(k)) url.searchParams.set(k, "****");
  return url.toString();
}
