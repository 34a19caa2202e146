// Usable on a laptop (1280×800) and a tablet (768×1024), by keyboard, with every control labelled;
// and the built first load within its JavaScript budget.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs without declarations
import { checkBudget, firstLoad } from "../../scripts/build-dashboard.mjs";
import { issueCitation, LAPTOP, launch, openPage, shot, signIn, staffToken, TABLET } from "./harness";

const PAGES = [
  "/",
  "/zones",
  "/zones/A1",
  "/plates",
  "/permits",
  "/citations",
  "/violations",
  "/violations/vio_demoExpiredMeter0001",
  "/officers",
  "/meters",
  "/webhooks",
  "/dead-letters",
  "/integrations",
  "/integrations/stripe",
];

let browser: Browser;
beforeAll(async () => {
  // A citation with a photo, so its page (evidence, history, the actions form) is checked like the rest.
  const admin = await staffToken("admin@demo.test", "demo-admin-password");
  const citation = await issueCitation(admin, `LAY${Date.now().toString(36).toUpperCase()}`);
  PAGES.push(`/citations/${citation.id}`);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Controls no assistive technology could name: no <label>, no aria-label, no aria-labelledby. */
const unlabelled = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button, meter")]
      .filter((el) => {
        const e = el as HTMLInputElement;
        if (e.type === "hidden") return false;
        const named =
          (e.labels && e.labels.length > 0) ||
          e.getAttribute("aria-label") ||
          e.getAttribute("aria-labelledby") ||
          (e.tagName === "BUTTON" && e.textContent!.trim());
        return !named;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );

const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

async function visitAll(page: Page) {
  for (const path of PAGES) {
    await page.goto(`/admin${path === "/" ? "/" : path}`);
    await page.locator("h1").first().waitFor();
    await page.locator(".freshness, form, table, .card").first().waitFor();
    expect(await unlabelled(page), path).toEqual([]);
    expect(await overflowsSideways(page), `${path} scrolls sideways`).toBe(false);
  }
}

describe("layout and accessibility", () => {
  it("every page fits a laptop screen with every control labelled", async () => {
    const page = await openPage(browser, LAPTOP);
    await signIn(page, "admin@demo.test", "demo-admin-password");
    await visitAll(page);
  });

  it("every page fits a tablet in portrait, navigation included", async () => {
    const page = await openPage(browser, TABLET);
    await signIn(page, "admin@demo.test", "demo-admin-password");
    await visitAll(page);
    await page.goto("/admin/");
    await page.locator('tr[data-provider="stripe"]').waitFor();
    const nav = page.getByRole("navigation", { name: "Sections" });
    for (const name of ["Overview", "Zones", "Integrations"])
      expect(await nav.getByRole("link", { name, exact: true }).isVisible()).toBe(true);
    await shot(page, "overview-tablet");
  });

  it("works from the keyboard: the skip link comes first, and navigation moves focus to the page's heading", async () => {
    const page = await openPage(browser, LAPTOP);
    await signIn(page, "admin@demo.test", "demo-admin-password");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => location.hash)).toBe("#main");
    await page.getByRole("link", { name: "Permits", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Permits" }).waitFor();
    // Focus moves in an effect after the page renders: wait for it, then check where it went.
    await page.waitForFunction(() => document.activeElement?.tagName === "H1");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Permits");
    expect(await page.getByRole("link", { name: "Permits", exact: true }).getAttribute("aria-current")).toBe("page");
  });

  it("says when the data on screen is stale", async () => {
    const page = await openPage(browser, LAPTOP);
    await signIn(page, "admin@demo.test", "demo-admin-password");
    await page.locator('.freshness[data-stale="false"]').waitFor();
    await page.context().setOffline(true);
    await page.locator('.freshness[data-stale="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator(".freshness").textContent()).toMatch(/^Stale: updated .* the last refresh failed/);
    await page.context().setOffline(false);
    await page.locator('.freshness[data-stale="false"]').waitFor({ timeout: 30_000 });
  });

  it("is served with a content security policy that allows nothing from elsewhere, deep links included", async () => {
    const page = await openPage(browser, LAPTOP);
    for (const path of ["/admin/", "/admin/zones/A1"]) {
      const res = await page.goto(path);
      const csp = res!.headers()["content-security-policy"] ?? "";
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(res!.headers()["x-content-type-options"], path).toBe("nosniff");
    }
  });

  it("the built first load is within 200 KB of JavaScript gzipped", () => {
    const load = firstLoad();
    const verdict = checkBudget(load);
    expect(verdict.ok, verdict.message).toBe(true);
    expect(load.files.length).toBeGreaterThan(0);
  });
});
