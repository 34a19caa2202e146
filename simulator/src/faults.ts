// Faults a developer or a test asks for, per provider. A request first waits `latencyMs`, then may
// fail: the next `failNext` requests fail, or each fails with probability `failRate`; with neither
// given, `status` or `timeout` alone means every request fails until the faults are cleared (an outage).
import { sleep } from "./http";
import { state, type Faults } from "./state";
import type { SimProvider } from "./types";

const MAX_LATENCY_MS = 30_000;
// Longer than any caller's timeout (Curbgate gives up after 10 s), so the caller sees a timeout.
const TIMEOUT_HOLD_MS = 60_000;

type Check = (v: unknown) => boolean;
const int = (min: number, max: number): Check => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const FIELDS: Record<keyof Faults, Check> = {
  latencyMs: int(0, MAX_LATENCY_MS),
  status: int(400, 599),
  retryAfterSeconds: int(0, 86_400),
  failNext: int(0, 1_000_000),
  failRate: (v) => typeof v === "number" && v >= 0 && v <= 1,
  timeout: (v) => typeof v === "boolean",
  expireTokens: (v) => typeof v === "boolean",
};

/** The faults in `body`, or the names of the fields that are wrong. */
export function parseFaults(body: unknown): { ok: true; faults: Faults } | { ok: false; errors: string[] } {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { ok: false, errors: ["body must be a JSON object"] };
  const errors: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const check = FIELDS[k as keyof Faults];
    if (!check) errors.push(`${k}: unknown fault`);
    else if (!check(v)) errors.push(`${k}: out of range or wrong type`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, faults: { ...(body as Faults) } };
}

function shouldFail(f: Faults): boolean {
  if (f.failNext !== undefined && f.failNext > 0) {
    f.failNext--;
    return true;
  }
  if (f.failRate !== undefined) return Math.random() < f.failRate;
  return f.failNext === undefined && (f.status !== undefined || f.timeout === true);
}

/** Waits the configured latency, then returns the injected failure for this request, or null. */
export async function injectFault(provider: SimProvider): Promise<Response | null> {
  const f = state.faults.get(provider.name);
  if (!f) return null;
  if (f.latencyMs) await sleep(f.latencyMs);
  if (!shouldFail(f)) return null;
  if (f.timeout) {
    await sleep(TIMEOUT_HOLD_MS);
    return provider.error(504, "Simulated timeout");
  }
  const status = f.status ?? 500;
  const res = provider.error(status, `Simulated ${status} from the provider simulator`);
  if (f.retryAfterSeconds !== undefined) res.headers.set("retry-after", String(f.retryAfterSeconds));
  return res;
}

export const tokensExpired = (provider: string) => state.faults.get(provider)?.expireTokens === true;
