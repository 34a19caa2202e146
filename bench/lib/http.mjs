// One JSON request to the worker outside the measured load (setup, sanity checks, monitoring).
import { fail } from "./print.mjs";

export async function call(base, method, path, { key, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

export async function expectStatus(promise, wanted, what) {
  const r = await promise;
  if (r.status !== wanted) fail(`${what}: expected HTTP ${wanted}, got ${r.status}: ${JSON.stringify(r.json).slice(0, 500)}`);
  return r.json;
}
