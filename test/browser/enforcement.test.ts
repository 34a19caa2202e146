// Enforcement in the dashboard, as a tenant admin in real Chromium against the running stack: find a
// citation by its plate, see its photo and digest, download it, void it with a reason and see the history
// grow; see the API refuse a step when the citation changed behind the page's back; the demo violations
// with evidence that could not be copied, the meters with their alerts, and the officer on shift.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  goTo,
  type IssuedCitation as Issued,
  issueCitation,
  launch,
  openPage,
  PHOTO,
  shot,
  signIn,
  staffToken,
} from "./harness";

const PHOTO_SHA256 = createHash("sha256").update(PHOTO).digest("hex");
const suffix = randomBytes(3).toString("hex").toUpperCase();

let browser: Browser;
let page: Page;
let admin: string;

async function openCitation(c: Issued) {
  await goTo(page, "Citations");
  await page.getByLabel("Number or plate").fill(c.plate);
  await page.getByRole("button", { name: "Search" }).click();
  await page.locator(`tr[data-citation="${c.number}"]`).getByRole("link", { name: c.number }).click();
  await page.getByRole("heading", { level: 1, name: `Citation ${c.number}` }).waitFor();
}

const status = () => page.getByTestId("citation-status").textContent();

beforeAll(async () => {
  admin = await staffToken("admin@demo.test", "demo-admin-password");
  browser = await launch();
  page = await openPage(browser);
  await signIn(page, "admin@demo.test", "demo-admin-password");
});

afterAll(async () => {
  await browser?.close();
});

describe("citations", () => {
  let voided: Issued;

  it("finds a citation by its plate, shows its photo with its SHA-256 and size, and downloads the file", async () => {
    voided = await issueCitation(admin, `CIT${suffix}`);
    await openCitation(voided);
    expect(await status()).toBe("issued");
    expect(await page.getByTestId("amount-due").textContent()).toBe("$25.00");
    expect(await page.getByTestId("plate-check").textContent()).not.toBe("");

    const photo = page.getByRole("img", { name: `Photo 1 of citation ${voided.number}` });
    await photo.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>("figure.evidence img");
      return !!img && img.complete && img.naturalWidth > 0;
    });
    expect(await photo.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([160, 120]);
    expect(await page.getByTestId("sha256").textContent()).toBe(PHOTO_SHA256);
    await page.getByText(`(${PHOTO.length.toLocaleString("en-US")} bytes)`).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: `Download photo 1 of citation ${voided.number}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${voided.number}-1.jpg`);
    const saved = readFileSync((await download.path())!);
    expect(createHash("sha256").update(saved).digest("hex")).toBe(PHOTO_SHA256);

    const history = page.getByTestId("history").locator("tbody tr");
    expect(await history.count()).toBe(1);
    expect(await history.first().textContent()).toContain("issue");
    await shot(page, "citation", { fullPage: true });
  });

  it("asks for a reason, then voids it: the status changes, a history row says who and why, and nothing more is offered", async () => {
    await page.getByRole("button", { name: "Void citation" }).click();
    await page.getByText("A reason is required to void this citation.").waitFor();
    expect(await page.getByLabel("Reason").getAttribute("aria-invalid")).toBe("true");
    expect(await status()).toBe("issued");

    await page.getByLabel("Reason").fill("Plate misread: the photo shows another car");
    await page.getByRole("button", { name: "Void citation" }).click();
    await page.getByText(`Citation ${voided.number} is now voided.`).waitFor();
    await page.getByTestId("citation-status").getByText("voided").waitFor();

    const rows = page.getByTestId("history").locator("tbody tr");
    await rows.nth(1).waitFor();
    const cells = await rows.nth(1).locator("th, td").allTextContents();
    expect(cells.slice(1, 5)).toEqual(["void", "issued", "voided", "Plate misread: the photo shows another car"]);
    expect(cells[5]).toMatch(/^user:/);

    // Voided is final: neither appeal nor another void is offered.
    await page.getByTestId("no-actions").getByText("that is final").waitFor();
    for (const name of ["Void citation", "Record appeal"]) expect(await page.getByRole("button", { name }).count(), name).toBe(0);

    const api_ = await api<{ status: string; transitions: unknown[] }>(`/v1/citations/${voided.id}`, { token: admin });
    expect(api_.body.status).toBe("voided");
    expect(api_.body.transitions).toHaveLength(2);
  });

  it("shows the API's refusal when the citation was voided elsewhere while the page was open", async () => {
    const other = await issueCitation(admin, `CIU${suffix}`);
    await openCitation(other);
    await page.getByRole("button", { name: "Record appeal" }).waitFor();

    // Another officer voids it; this page still offers the appeal.
    const elsewhere = await api(`/v1/citations/${other.id}/void`, { token: admin, body: { reason: "Duplicate ticket" } });
    expect(elsewhere.status).toBe(200);

    await page.getByLabel("Reason").fill("The driver says the meter was broken");
    await page.getByRole("button", { name: "Record appeal" }).click();
    await page
      .getByRole("alert")
      .getByText(`Citation ${other.number} is voided: appeal is not allowed (that is final)`)
      .waitFor();
    // The page reads the citation again and shows where it really is.
    await page.getByTestId("citation-status").getByText("voided").waitFor();
    expect(await page.getByRole("button", { name: "Record appeal" }).count()).toBe(0);
  });

  it("lists citations filtered by status", async () => {
    const open = await issueCitation(admin, `CIV${suffix}`);
    await goTo(page, "Citations");
    await page.locator(`tr[data-citation="${open.number}"]`).waitFor();
    await page.getByLabel("Status").selectOption("voided");
    await page.getByLabel("Number or plate").fill("CI");
    await page.getByRole("button", { name: "Search" }).click();
    // The list is replaced, not merged: the issued citation goes, the voided one is there once the search has answered.
    await page.locator(`tr[data-citation="${open.number}"]`).waitFor({ state: "detached" });
    await page.locator(`tr[data-citation="${voided.number}"]`).waitFor();
    const badges = await page.locator("tbody tr td .badge").allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set(["voided"]));
    await shot(page, "citations");
  });
});

describe("violations, meters and officers", () => {
  it("lists the demo violations, with the evidence that could not be copied and why", async () => {
    await goTo(page, "Violations");
    for (const id of ["vio_demoExpiredMeter0001", "vio_demoNoPermit00000002", "vio_demoCancelled0000003"])
      await page.locator(`tr[data-violation="${id}"]`).waitFor();
    const expired = page.locator(`tr[data-violation="vio_demoExpiredMeter0001"]`);
    expect(await expired.textContent()).toContain("VIDEO not copied: demo data: never fetched");
    expect(await expired.textContent()).toContain("PHOTO stored");
    await shot(page, "violations");

    await page.getByLabel("Status").selectOption("cancelled");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator(`tr[data-violation="vio_demoExpiredMeter0001"]`).waitFor({ state: "detached" });
    await page.locator(`tr[data-violation="vio_demoCancelled0000003"]`).waitFor();

    await page.goto("/admin/violations/vio_demoExpiredMeter0001");
    await page.getByRole("heading", { level: 1, name: "Violation: XYZ789 in A1" }).waitFor();
    expect(await page.getByTestId("copy-error").textContent()).toBe("demo data: never fetched");
    const photo = page.getByRole("region", { name: "Evidence 1" });
    await photo.getByText("stored").waitFor();
    expect(await photo.locator("code.digest").last().textContent()).toMatch(/^[0-9a-f]{64}$/);
    await shot(page, "violation");
  });

  it("shows the meters: METER-A1-002 low on battery, METER-B1-002 offline, both among the alerts", async () => {
    await goTo(page, "Meters");
    const low = page.locator('tr[data-meter="METER-A1-002"]');
    await low.waitFor();
    expect(await low.getByTestId("battery").textContent()).toMatch(/^12 %\s*low$/);
    await low.getByText("low battery").waitFor();
    expect(await low.textContent()).toContain("operational");

    const silent = page.locator('tr[data-meter="METER-B1-002"]');
    await silent.getByText("offline").waitFor();
    await silent.getByText("never reported").waitFor();

    expect(await page.locator('tr[data-meter="METER-A1-001"] td').last().textContent()).toBe("none");

    const alerts = page.getByTestId("meter-alerts");
    await alerts.locator('[data-alert-meter="METER-A1-002"]').getByText("low battery").waitFor();
    await alerts.locator('[data-alert-meter="METER-B1-002"]').getByText("offline").waitFor();
    expect(await alerts.locator('[data-alert-meter="METER-A1-001"]').count()).toBe(0);
    await shot(page, "meters");
  });

  it("shows officer_123 on shift with the device and zones", async () => {
    await goTo(page, "Officers on shift");
    const row = page.locator('tr[data-officer="officer_123"]');
    await row.waitFor();
    const cells = await row.locator("th, td").allTextContents();
    expect(cells[0]).toContain("Officer Smith");
    expect(cells[1]).toBe("handheld_456");
    expect(cells[2]).toBe("A1, A2");
    await shot(page, "officers");
  });
});
