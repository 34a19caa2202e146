// A tenant admin's day in the dashboard, in real Chromium against the running stack: sign in, watch the
// overview, look up a plate, issue and revoke a permit and see the plate check follow, edit a zone's
// rules with inline validation, break Stripe in the simulator and watch its breaker open, replay a dead letter.
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  eventually,
  goTo,
  launch,
  officerVerdict,
  openPage,
  shot,
  signIn,
  simulator,
  staffToken,
  stripeWebhook,
} from "./harness";

const ALL_DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
const suffix = randomBytes(3).toString("hex").toUpperCase();
const ZONE = `DASH${suffix}`; // always enforced, so a plate's verdict depends only on its permit
const PLATE = `PRM${suffix}`;

let browser: Browser;
let page: Page;
let admin: string;

beforeAll(async () => {
  admin = await staffToken("admin@demo.test", "demo-admin-password");
  const zone = await api(`/v1/zones`, {
    token: admin,
    body: {
      code: ZONE,
      name: "Dashboard Test Street",
      rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 100 }],
      enforcement: [{ days: ALL_DAYS, start: "00:00", end: "24:00" }],
      graceMinutes: 5,
      maxStayMinutes: 120,
      capacity: 20,
    },
  });
  expect(zone.status).toBe(201);
  browser = await launch();
  page = await openPage(browser);
});

afterAll(async () => {
  await browser?.close();
});

const verdictOnScreen = async (plate: string, zone: string) => {
  await goTo(page, "Plate lookup");
  await page.getByLabel("Plate").fill(plate);
  await page.getByLabel("Zone").selectOption(zone);
  await page.getByRole("button", { name: "Check plate" }).click();
  const verdict = page.locator("section.verdict");
  await verdict.locator(`h2:has-text("${plate}")`).waitFor();
  return verdict.getAttribute("data-status");
};

describe("a tenant admin", () => {
  it("is sent to sign in, signs in, and sees the overview with integrations, webhooks, sync and live occupancy", async () => {
    await page.goto("/admin/zones");
    await page.waitForURL("**/admin/sign-in");
    await shot(page, "sign-in");
    await signIn(page, "admin@demo.test", "demo-admin-password");
    const stripe = page.locator('tr[data-provider="stripe"]');
    await stripe.locator('[data-breaker="closed"]').waitFor();
    expect(await stripe.getByText("connected").count()).toBe(1);
    const a1 = page.locator('tr[data-zone="A1"]');
    await a1.waitFor();
    const live = await api<{ data: { zone: string; activeSessions: number }[] }>("/v1/occupancy", { token: admin });
    expect(await a1.locator("td").first().textContent()).toBe(
      String(live.body.data.find((z) => z.zone === "A1")!.activeSessions),
    );
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    // The oldest unprocessed event, as monitoring reports it: "none", or a link to that event.
    const monitor = await api<{ oldestUnprocessed: { eventId: string } | null }>("/v1/monitoring/webhooks", { token: admin });
    const oldest = page.getByTestId("oldest-unprocessed");
    if (monitor.body.oldestUnprocessed)
      expect(await oldest.locator("a").getAttribute("href")).toBe(`/admin/webhooks/${monitor.body.oldestUnprocessed.eventId}`);
    else expect(await oldest.textContent()).toBe("none");
    await page.getByRole("heading", { name: "Sync queue" }).waitFor();
    await page
      .getByText(/updated/)
      .first()
      .waitFor();
    await shot(page, "overview");
  });

  it("looks up a demo plate and gets the verdict an officer's handheld gets", async () => {
    const status = await verdictOnScreen("ABC123", "A1");
    expect(status).toBe((await officerVerdict("ABC123", "A1")).status);
    await shot(page, "plate-lookup");
  });

  it("issues a permit and the plate check says PERMITTED; revokes it and the check says NO_RECORD again", async () => {
    expect(await verdictOnScreen(PLATE, ZONE)).toBe("NO_RECORD");

    await goTo(page, "Permits");
    const form = page.locator("form", { has: page.getByRole("heading", { name: "Issue a permit" }) });
    await form.getByLabel("Plate").fill(PLATE);
    await form.getByLabel("State").fill("CT");
    await form.getByLabel("Type").selectOption("VISITOR");
    await form.getByRole("checkbox", { name: new RegExp(`^${ZONE}`) }).check();
    await form.getByRole("button", { name: "Issue permit" }).click();
    await page.getByText(/issued\. It counts in the very next plate check/).waitFor();
    const row = page.locator("tr", { hasText: PLATE });
    await row.getByText("active").waitFor();
    await shot(page, "permits");

    expect(await verdictOnScreen(PLATE, ZONE)).toBe("PERMITTED");
    expect((await officerVerdict(PLATE, ZONE)).status).toBe("PERMITTED");

    await goTo(page, "Permits");
    await page.getByLabel("Plate").first().fill(PLATE);
    await page.getByRole("button", { name: "Search" }).click();
    await page
      .locator("tr", { hasText: PLATE })
      .getByRole("button", { name: /Revoke permit/ })
      .click();
    await page.getByText(/revoked\./).waitFor();
    await page.locator("tr", { hasText: PLATE }).getByText("revoked").waitFor();

    expect(await verdictOnScreen(PLATE, ZONE)).toBe("NO_RECORD");
    expect((await officerVerdict(PLATE, ZONE)).status).toBe("NO_RECORD");
  });

  it("sees a zone's live sessions and occupancy chart, and edits its rules with validation shown inline", async () => {
    await goTo(page, "Zones");
    await page.locator('tr[data-zone="A1"]').waitFor();
    await shot(page, "zones");
    await page.getByRole("link", { name: "A1", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /Zone A1/ }).waitFor();
    await page.locator(".chart canvas").waitFor();
    await page
      .getByRole("cell", { name: /ABC123/ })
      .or(page.getByRole("rowheader", { name: /ABC123/ }))
      .first()
      .waitFor();
    await shot(page, "zone");

    await page.goto(`/admin/zones/${ZONE}`); // a deep link: the worker answers with the app for any /admin/ path
    await page.getByRole("heading", { level: 1, name: new RegExp(`Zone ${ZONE}`) }).waitFor();
    const grace = page.getByLabel("Grace (minutes)");
    await grace.fill("500");
    await page.getByText("must be a whole number from 0 to 120").waitFor();
    expect(await grace.getAttribute("aria-invalid")).toBe("true");
    const from = page.locator('[data-row="enforcement.0"]').getByLabel("From (HH:MM)");
    await from.fill("25:00");
    await page.locator('[data-row="enforcement.0"]').getByText(/HH:MM/).last().waitFor();
    await from.fill("00:00");
    await grace.fill("7");
    await page.getByLabel("Maximum stay (minutes)").fill("90");
    expect(await page.locator(".field-invalid").count()).toBe(0);
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByText("Saved. The next plate check uses these rules.").waitFor();
    const saved = await api<{ graceMinutes: number; maxStayMinutes: number }>(`/v1/zones/${ZONE}`, { token: admin });
    expect(saved.body).toMatchObject({ graceMinutes: 7, maxStayMinutes: 90 });
  });

  it("breaks Stripe in the simulator and watches its breaker open on the overview after syncs fail", async () => {
    const faults = await fetch(`${simulator()}/_control/faults/stripe`, { method: "PUT", body: JSON.stringify({ status: 503 }) });
    expect(faults.status).toBe(200);
    try {
      await page.goto("/admin/integrations/stripe");
      await page.getByRole("heading", { level: 1, name: "Stripe", exact: true }).waitFor();
      await page.getByRole("heading", { name: "Field mappings" }).waitFor();
      // The mapping editor: the entity's rows with the declared fields, and a test against a sample record.
      await page.getByRole("table", { name: /Rows of the payments mapping/ }).waitFor();
      await page
        .getByLabel(/Sample provider record/)
        .fill(JSON.stringify({ id: "pi_1", amount: 1250, currency: "usd", status: "succeeded", created: 1_700_000_000 }));
      await page.getByRole("button", { name: "Test these rows against the sample" }).click();
      await page.getByText("Test: done.").waitFor();
      await shot(page, "integration");
      for (let i = 0; i < 3; i++) {
        await page.getByRole("button", { name: "Start sync" }).click();
        await page.getByText("Sync of payments queued.").waitFor();
      }
      await goTo(page, "Overview");
      await page.locator('tr[data-provider="stripe"] [data-breaker="open"]').waitFor({ timeout: 90_000 });
      await shot(page, "overview-breaker-open");

      await page.goto("/admin/integrations/stripe");
      await page.locator('[data-breaker="open"]').waitFor();
      await fetch(`${simulator()}/_control/faults/stripe`, { method: "DELETE" });
      await page.getByRole("button", { name: "Reset breaker" }).click();
      await page.locator('[data-breaker="closed"]').waitFor();
      await page
        .getByRole("button", { name: "Stop queued jobs" })
        .or(page.getByRole("button", { name: "Retry failed jobs" }))
        .first()
        .waitFor();
    } finally {
      await fetch(`${simulator()}/_control/faults/stripe`, { method: "DELETE" });
    }
  });

  it("replays a dead letter once its cause is fixed, and the event is then processed", async () => {
    const pi = `pi_${randomBytes(8).toString("hex")}`;
    // A refund for a payment Curbgate has not heard of yet fails; with one attempt allowed it is dead-lettered.
    const eventId = await stripeWebhook("charge.refunded", {
      id: `ch_${randomBytes(8).toString("hex")}`,
      object: "charge",
      payment_intent: pi,
      amount_refunded: 150,
    });
    await eventually(async () => {
      const letters = await api<{ data: { eventId: string }[] }>("/v1/dead-letters?kind=webhook&replayed=false", {
        token: admin,
      });
      return letters.body.data.some((d) => d.eventId === eventId) ? true : undefined;
    }, "the refund to be dead-lettered");
    // The payment it refunds arrives.
    await stripeWebhook("payment_intent.succeeded", {
      id: pi,
      object: "payment_intent",
      amount: 500,
      amount_received: 500,
      currency: "usd",
      metadata: {},
    });

    await goTo(page, "Dead letters");
    const row = page.locator(`tr[data-dead-letter="${eventId}"]`);
    await row.waitFor();
    await shot(page, "dead-letters");
    await page.getByRole("button", { name: "Replay dead letters in range" }).click();
    await page.getByText(/events? queued again\./).waitFor();

    await page.goto(`/admin/webhooks/${eventId}`);
    await page.locator('[data-testid="event-status"]').getByText("processed").waitFor({ timeout: 60_000 });
    await page.getByRole("heading", { name: "Headers (secrets masked)" }).waitFor();
    const signature = await page.locator("tr", { hasText: "stripe-signature" }).locator("code").textContent();
    expect(signature).not.toMatch(/v1=[0-9a-f]{64}/); // the signature is masked
    await page.getByText(/refundedCents/).waitFor(); // the effect
    await shot(page, "webhook-event");

    await goTo(page, "Webhook events");
    await page.getByLabel("Status").selectOption("processed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator(`tr[data-event="${eventId}"]`).waitFor();
    await shot(page, "webhook-events");
    await goTo(page, "Integrations");
    await shot(page, "integrations");
  });

  it("signs out, and the token is gone from the tab", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You signed out.").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("curbgate.staff"))).toBeNull();
    await page.goto("/admin/permits");
    await page.waitForURL("**/admin/sign-in");
  });
});
