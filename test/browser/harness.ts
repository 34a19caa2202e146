// What the browser tests share: headless Chromium from @sparticuz/chromium driven by playwright-core,
// sign-in, direct API calls for setup and cross-checks, signed vendor webhooks, and screenshots.
import chromium from "@sparticuz/chromium";
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium as playwright, type Browser, type Page } from "playwright-core";
import { inject } from "vitest";

export const base = () => inject("base");
export const simulator = () => inject("simulator");

/** Unpacks Chromium into /tmp on first use (no system install) and starts it headless. */
export async function launch(): Promise<Browser> {
  return playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
}

export const TABLET = { width: 768, height: 1024 };
export const LAPTOP = { width: 1280, height: 800 };

export async function openPage(browser: Browser, viewport = LAPTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, baseURL: base(), locale: "en-US", timezoneId: "America/New_York" });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on("dialog", (d) => void d.accept()); // confirm() before revoking or disconnecting
  return page;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/admin/");
  await page.getByRole("heading", { name: "Curbgate staff sign-in" }).waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
}

/** Navigates with the app's own navigation, as a person would. */
export async function goTo(page: Page, section: string, heading = section) {
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: section, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

export async function api<T = any>(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base() + path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function staffToken(email: string, password: string): Promise<string> {
  const res = await api<{ token: string }>("/v1/auth/login", { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return res.body.token;
}

/** What an officer's handheld is told about a plate: POST /v1/verify with the demo officer key. */
export async function officerVerdict(plate: string, zone: string) {
  const res = await api<{ status: string; valid: boolean; enforcementRecommendation: string }>("/v1/verify", {
    token: "cg_demo_officer",
    body: { plate, zone },
  });
  if (res.status !== 200) throw new Error(`verify: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** test/fixtures/evidence/plate.jpg: a 160×120 JPEG made for Curbgate's tests. */
export const PHOTO = readFileSync(join(import.meta.dirname, "..", "fixtures", "evidence", "plate.jpg"));

export interface IssuedCitation {
  id: string;
  number: string;
  plate: string;
}

/** Issues a citation in A1 with the fixture photo through the API; the plate must have no session or permit. */
export async function issueCitation(token: string, plate: string): Promise<IssuedCitation> {
  const res = await api<IssuedCitation>("/v1/citations", {
    token,
    body: {
      plate,
      state: "CT",
      zone: "A1",
      violationCode: "PKG-001",
      officer: { id: "officer_123", name: "Officer Smith" },
      location: { address: "123 Main Street, Stamford, CT" },
      evidence: [{ type: "PHOTO", base64Data: PHOTO.toString("base64"), mimeType: "image/jpeg" }],
    },
  });
  if (res.status !== 201) throw new Error(`issue citation: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

// The demo tenant's Stripe webhook secret (src/dev/demo-connections.ts).
const DEMO_STRIPE_WEBHOOK_SECRET = "whsec_curbgate_demo_0001";

/** Delivers a Stripe event to the demo tenant, signed the way Stripe signs (t=…,v1=hex HMAC of `${t}.${body}`). */
export async function stripeWebhook(type: string, object: Record<string, unknown>) {
  const id = `evt_${randomBytes(12).toString("hex")}`;
  const body = JSON.stringify({ id, object: "event", type, created: Math.floor(Date.now() / 1000), data: { object } });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", DEMO_STRIPE_WEBHOOK_SECRET).update(`${t}.${body}`).digest("hex");
  const res = await fetch(`${base()}/v1/webhooks/demo/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` },
    body,
  });
  if (res.status !== 200) throw new Error(`stripe webhook: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Polls `probe` until it returns a value (not undefined), for state that settles asynchronously (queues). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const SHOTS = process.env.CURBGATE_SCREENSHOTS ? join(import.meta.dirname, "..", "..", "docs", "screenshots") : null;

/** With CURBGATE_SCREENSHOTS=1 (npm run screenshots), saves the page as docs/screenshots/<name>.png. */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: opts.fullPage ?? false });
}
