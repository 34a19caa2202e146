// A viewer sees everything an admin sees, but every write control is disabled, and the API refuses the
// writes anyway when they are sent with the viewer's own token.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goTo, type IssuedCitation, issueCitation, launch, openPage, signIn, staffToken } from "./harness";

let browser: Browser;
let page: Page;
let citation: IssuedCitation;

beforeAll(async () => {
  const admin = await staffToken("admin@demo.test", "demo-admin-password");
  citation = await issueCitation(admin, `VWC${Date.now().toString(36).toUpperCase()}`);
  browser = await launch();
  page = await openPage(browser);
  await signIn(page, "viewer@demo.test", "demo-viewer-password");
});

afterAll(async () => {
  await browser?.close();
});

/** A write sent from the page with the viewer's token, as a hand-made request would be. */
const writeAsViewer = (path: string, method: string, body?: unknown) =>
  page.evaluate(
    async ({ path, method, body }) => {
      const { token } = JSON.parse(sessionStorage.getItem("curbgate.staff")!);
      const res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    { path, method, body },
  );

describe("a viewer", () => {
  it("sees the overview and the data pages", async () => {
    await page.locator('tr[data-provider="stripe"]').waitFor();
    await page.getByText("(viewer)").waitFor();
    await goTo(page, "Zones");
    await page.locator('tr[data-zone="A1"]').waitFor();
    await goTo(page, "Permits");
    await page.locator('tr[data-permit="RES-2026-001"]').waitFor();
  });

  it("finds every write control disabled", async () => {
    await goTo(page, "Permits");
    expect(await page.getByRole("button", { name: "Issue permit" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Revoke permit RES-2026-001" }).isDisabled()).toBe(true);

    await page.goto("/admin/zones/A1");
    await page.getByText("Your role can read these rules but not change them.").waitFor();
    expect(await page.getByLabel("Grace (minutes)").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save rules" }).isDisabled()).toBe(true);

    await goTo(page, "Dead letters");
    expect(await page.getByRole("button", { name: "Replay dead letters in range" }).isDisabled()).toBe(true);

    await page.goto("/admin/integrations/stripe");
    await page.getByRole("heading", { level: 1, name: "Stripe", exact: true }).waitFor();
    for (const name of ["Test connection", "Disconnect", "Reset breaker", "Start sync"])
      expect(await page.getByRole("button", { name }).isDisabled(), name).toBe(true);
    const enabledWrites = await page.locator("button[data-write]:not([disabled])").count();
    expect(enabledWrites).toBe(0);
  });

  it("reads citations, their photos and history, but cannot void or appeal them", async () => {
    await goTo(page, "Citations");
    await page.getByLabel("Number or plate").fill(citation.plate);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: citation.number }).click();
    await page.getByRole("heading", { level: 1, name: `Citation ${citation.number}` }).waitFor();
    await page.getByRole("img", { name: `Photo 1 of citation ${citation.number}` }).waitFor();
    await page.getByTestId("history").getByText("issue", { exact: true }).waitFor();
    for (const name of ["Void citation", "Record appeal"])
      expect(await page.getByRole("button", { name }).isDisabled(), name).toBe(true);
    expect(await page.getByLabel("Reason").isDisabled()).toBe(true);
    expect(await page.locator("button[data-write]:not([disabled])").count()).toBe(0);
    // Reading the evidence is allowed.
    expect(await page.getByRole("button", { name: /^Download photo 1/ }).isDisabled()).toBe(false);

    await goTo(page, "Violations");
    await page.locator('tr[data-violation="vio_demoExpiredMeter0001"]').waitFor();
    await goTo(page, "Meters");
    await page.locator('tr[data-meter="METER-A1-002"]').waitFor();
    await goTo(page, "Officers on shift");
    await page.locator('tr[data-officer="officer_123"]').waitFor();
  });

  it("is refused by the API when it sends the writes anyway", async () => {
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const permit = await writeAsViewer("/v1/permits", "POST", {
      plate: "VWR123",
      type: "VISITOR",
      zones: ["A1"],
      validUntil: until,
    });
    expect(permit.status).toBe(403);
    expect(permit.body.detail).toMatch(/permits:write/);
    const zone = await writeAsViewer("/v1/zones/A1", "PUT", {
      name: "Hijacked",
      rateSlots: [],
      enforcement: [],
      graceMinutes: 0,
      maxStayMinutes: 60,
    });
    expect(zone.status).toBe(403);
    expect((await writeAsViewer("/v1/dead-letters/replay", "POST", { since: new Date(0).toISOString() })).status).toBe(403);
    expect((await writeAsViewer("/v1/monitoring/circuit-breakers/stripe/reset", "POST")).status).toBe(403);
    for (const step of ["void", "appeal"]) {
      const refused = await writeAsViewer(`/v1/citations/${citation.id}/${step}`, "POST", { reason: "viewer tries" });
      expect(refused.status, step).toBe(403);
      expect(refused.body.detail).toMatch(/citations:write/);
    }
    // Reading still works with the same token.
    expect((await writeAsViewer("/v1/zones/A1", "GET")).status).toBe(200);
  });
});
