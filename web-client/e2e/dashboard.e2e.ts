// The dashboard on a running `./herald local --demo` stack, as an operator uses it: demo traffic
// on, both providers healthy and carrying it; SES broken, it turns unhealthy while SendGrid
// carries everything; SES healed (with the keyboard), it turns healthy and carries traffic again;
// pauses with a reason, dead letters, dark mode and the API reference. Saves screenshots of each
// step into HERALD_OUT_DIR (dashboard-*.png).
import { expect, test, type Page } from "@playwright/test";
import { join } from "node:path";
import { contrastRatio } from "./contrast";

const outDir = process.env.HERALD_OUT_DIR ?? "target/browser-test";
// Contexts opened by hand do not take the config's baseURL: they are given it.
const base = process.env.HERALD_BASE_URL ?? "";
const check = test.step;

// A phone's width first: every table must fit or scroll inside its own box.
test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });

function row(page: Page, provider: string) {
  return page.locator(`table[data-channel="email"] tr[data-provider="${provider}"]`);
}

/** A provider's state badge; waiting assertions read its data-state. */
function state(page: Page, provider: string) {
  return row(page, provider).locator("[data-state]");
}

/** Deliveries the dashboard shows for a provider (NaN while its row is not there). */
async function delivered(page: Page, provider: string): Promise<number> {
  return Number(await row(page, provider).locator("td.num").first().textContent({ timeout: 1000 }).catch(() => "NaN"));
}

test("an operator breaks SES, watches SendGrid take over, heals it, pauses, redrives", async ({ page, browser }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });

  await page.goto("/", { waitUntil: "networkidle" });
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Dashboard" }).click();
  await check("the navigation leads to the dashboard", async () => {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  });
  await check("the current page is marked for screen readers", async () => {
    await expect(page.getByRole("link", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
  });

  // A desktop-width window watches the whole story too; its screenshot at the end is the README's.
  const wide = await browser.newContext({ baseURL: base, viewport: { width: 1100, height: 1000 } });
  const widePage = await wide.newPage();
  await widePage.goto("/#/dashboard", { waitUntil: "networkidle" });

  await page.getByLabel("Demo traffic").selectOption("10");
  await check("both email providers are shown healthy", async () => {
    await expect(state(page, "ses")).toHaveAttribute("data-state", "healthy", { timeout: 30_000 });
    await expect(state(page, "sendgrid")).toHaveAttribute("data-state", "healthy", { timeout: 30_000 });
  });
  await check("both carry the demo traffic", async () => {
    await expect.poll(() => delivered(page, "ses"), { timeout: 30_000 }).toBeGreaterThan(5);
    await expect.poll(() => delivered(page, "sendgrid"), { timeout: 30_000 }).toBeGreaterThan(5);
  });
  await check("the chart shows deliveries per second for each provider", async () => {
    await expect(page.locator(".legend")).toHaveText(/ses \d/, { timeout: 30_000 });
    await expect(page.locator(".legend")).toHaveText(/sendgrid \d/, { timeout: 30_000 });
  });
  await check("nothing is wider than a phone", async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
  await page.screenshot({ path: join(outDir, "dashboard-1-healthy.png"), fullPage: true });

  // Break SES: its stand-in answers 500, so its breaker opens and only single probes reach it.
  await page.getByRole("button", { name: "Break ses" }).click();
  await check("a broken SES turns unhealthy", async () => {
    await expect(state(page, "ses")).toHaveAttribute("data-state", /^(unhealthy|probing)$/, { timeout: 30_000 });
  });
  await check("SendGrid carries the traffic while SES delivers nothing", async () => {
    // Once SES is unhealthy only probes reach it, and they fail: its count stands still while
    // SendGrid's grows by the traffic of a few seconds.
    const sesBefore = await delivered(page, "ses");
    const sendgridBefore = await delivered(page, "sendgrid");
    await expect.poll(async () => (await delivered(page, "sendgrid")) - sendgridBefore, { timeout: 30_000 })
      .toBeGreaterThan(20);
    expect(await delivered(page, "ses")).toBe(sesBefore);
  });
  const sesRow = row(page, "ses");
  await check("SES shows the probes it got while unhealthy", async () => {
    await expect.poll(async () => Number(await sesRow.locator("td.num").nth(2).textContent()), { timeout: 10_000 })
      .toBeGreaterThan(0);
  });
  await check("an unhealthy SES says why: its last error", async () => {
    await expect(sesRow.locator("td.last-error")).toHaveText(/500/, { timeout: 10_000 });
  });
  await check("and since when it is unhealthy", async () => {
    await expect(sesRow.locator(".since time")).toBeVisible({ timeout: 5_000 });
  });
  await page.screenshot({ path: join(outDir, "dashboard-2-ses-broken.png"), fullPage: true });

  // Heal SES with the keyboard: the button is reachable and works with Enter.
  await page.getByRole("button", { name: "Heal ses" }).focus();
  await page.keyboard.press("Enter");
  await check("a healed SES turns healthy again after its probes succeed", async () => {
    await expect(state(page, "ses")).toHaveAttribute("data-state", "healthy", { timeout: 30_000 });
  });
  await check("SES carries traffic again", async () => {
    const sesHealed = await delivered(page, "ses");
    await expect.poll(async () => (await delivered(page, "ses")) - sesHealed, { timeout: 30_000 }).toBeGreaterThan(10);
  });
  await page.screenshot({ path: join(outDir, "dashboard-3-healed.png"), fullPage: true });

  // Pause SendGrid from the page with a reason: the same switch as `herald pause --reason`, shown
  // with who, since when and why.
  await page.getByLabel("Reason for the next pause").fill("SendGrid maintenance window");
  await page.getByRole("button", { name: "Pause sendgrid" }).click();
  await check("a provider paused from the page turns paused", async () => {
    await expect(state(page, "sendgrid")).toHaveAttribute("data-state", "paused", { timeout: 30_000 });
  });
  const pauseNote = page.locator('[data-pause="provider/sendgrid"]');
  await check("the pause says who and since when", async () => {
    await expect(pauseNote).toContainText("paused by", { timeout: 10_000 });
    await expect(pauseNote).toContainText("since");
  });
  await check("and why: the reason given on the page", async () => {
    await expect(pauseNote.locator(".reason")).toHaveText("SendGrid maintenance window");
  });
  await page.getByRole("button", { name: "Resume sendgrid" }).click();
  await check("resumed from the page, it carries traffic again", async () => {
    await expect(state(page, "sendgrid")).toHaveAttribute("data-state", "healthy", { timeout: 30_000 });
  });
  await page.getByRole("button", { name: "Pause channel email" }).click();
  await check("a channel paused from the page pauses its providers", async () => {
    await expect(state(page, "ses")).toHaveAttribute("data-state", "paused", { timeout: 30_000 });
    await expect(state(page, "sendgrid")).toHaveAttribute("data-state", "paused", { timeout: 30_000 });
  });
  await check("its messages show as parked (delayed) while it is paused", async () => {
    await expect.poll(async () => (await page.locator('td[data-column="delayed"]').allTextContents())
      .some((c) => Number(c) > 0), { timeout: 30_000 }).toBe(true);
  });
  await page.getByRole("button", { name: "Resume channel email" }).click();
  await check("the channel resumes", async () => {
    await expect(state(page, "ses")).not.toHaveAttribute("data-state", "paused", { timeout: 30_000 });
  });

  // A reload keeps the chart: its history comes from the API, not from this page's polls.
  await page.reload({ waitUntil: "domcontentloaded" });
  await check("after a reload the chart is drawn again at once from the API's history", async () => {
    await expect.poll(async () => {
      const points = await page.locator('polyline[data-provider="sendgrid"]').getAttribute("points", { timeout: 2000 })
        .catch(() => null);
      return points ? points.trim().split(/\s+/).length : 0;
    }, { timeout: 3_000 }).toBeGreaterThanOrEqual(5);
  });

  // Dead letters: listed with reason, shown with body, counted by a dry run, then redriven by filter.
  const deadLetters = page.locator("table[data-dead-letters]");
  await page.getByRole("button", { name: "List dead letters" }).click();
  await check("the seeded dead letters are listed", async () => {
    await expect(deadLetters).toHaveAttribute("data-dead-letters", "2", { timeout: 30_000 });
  });
  await check("each with its reason", async () => {
    await expect(deadLetters.locator("td.reason").filter({ hasText: "SendGrid 400" })).not.toHaveCount(0);
  });
  await deadLetters.locator("tbody tr").first().getByRole("button", { name: /^Show dead letter/ }).click();
  await check("one is shown with its body", async () => {
    await expect(page.locator("pre.body")).toContainText("dead-letter-e2e", { timeout: 30_000 });
  });
  await page.getByLabel("Provider", { exact: true }).fill("sendgrid");
  await page.getByRole("button", { name: "Count what would move" }).click();
  const redriveResult = page.locator("[data-redrive-result]");
  await check("a dry run counts what the filter selects and moves nothing", async () => {
    await expect(redriveResult).toContainText("would move 1", { timeout: 30_000 });
  });
  await page.getByLabel("Dry run (count only)").uncheck();
  await page.getByRole("button", { name: "Redrive matching" }).click();
  await check("the redrive says how many moved", async () => {
    await expect(redriveResult).toHaveText(/^Moved 1 back/, { timeout: 30_000 });
  });
  await page.getByLabel("Provider", { exact: true }).fill("");
  await page.getByRole("button", { name: "List dead letters" }).click();
  await check("only the one the filter did not select is left", async () => {
    await expect(deadLetters).toHaveAttribute("data-dead-letters", "1", { timeout: 30_000 });
  });
  await check("with every section open, nothing is wider than a phone", async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
  await page.screenshot({ path: join(outDir, "dashboard-4-dead-letters.png"), fullPage: true });
  // The desktop screenshot shows a chart with some history: wait until it has drawn a line.
  await expect(widePage.locator('polyline[data-provider="sendgrid"]')).toBeVisible({ timeout: 10_000 });
  await widePage.screenshot({ path: join(outDir, "dashboard-desktop.png"), fullPage: true });
  await wide.close();

  await page.getByLabel("Demo traffic").selectOption("0");
  await check("the page logged no errors", async () => {
    expect(errors, errors.join(" | ")).toEqual([]);
  });

  // Dark mode: every button's text against its background passes WCAG AA (4.5:1), from computed styles.
  const dark = await browser.newContext({ baseURL: base, viewport: { width: 1100, height: 1000 },
    colorScheme: "dark" });
  const darkPage = await dark.newPage();
  await darkPage.goto("/#/dashboard", { waitUntil: "networkidle" });
  await expect(darkPage.getByRole("button", { name: "List dead letters" })).toBeVisible();
  const colours = await darkPage.locator("button").evaluateAll((buttons) => buttons.map((b) => {
    let background = "rgba(0, 0, 0, 0)";
    for (let e: Element | null = b; e && /rgba\(.*, 0\)$|transparent/.test(background); e = e.parentElement) {
      background = getComputedStyle(e).backgroundColor;
    }
    return { name: b.textContent, color: getComputedStyle(b).color, background };
  }));
  const weak = colours.map((c) => ({ ...c, ratio: contrastRatio(c.color, c.background) })).filter((c) => c.ratio < 4.5);
  await check(`dark-mode buttons pass WCAG AA contrast (${colours.length} checked)`, async () => {
    expect(colours.length).toBeGreaterThan(3);
    expect(weak, JSON.stringify(weak)).toEqual([]);
  });
  await darkPage.screenshot({ path: join(outDir, "dashboard-dark.png"), fullPage: true });
  await dark.close();

  // The API reference for people, served by the API itself: nothing fetched from elsewhere.
  const docs = await browser.newContext({ baseURL: base });
  const docsPage = await docs.newPage();
  const foreign: string[] = [];
  const docsErrors: string[] = [];
  docsPage.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  docsPage.on("console", (m) => {
    if (m.type() === "error") docsErrors.push(m.text());
  });
  docsPage.on("response", (r) => {
    if (r.status() >= 400) docsErrors.push(`${r.status()} ${r.url()}`);
  });
  await docsPage.goto("/docs", { waitUntil: "networkidle" });
  await check("/docs shows the API reference, bundled", async () => {
    await expect(docsPage.getByText("/v1/admin/dead-letters/redrive").first()).toBeVisible({ timeout: 15_000 });
  });
  await check("/docs fetches nothing from elsewhere and logs no errors", async () => {
    expect([...foreign, ...docsErrors]).toEqual([]);
  });
  await docsPage.screenshot({ path: join(outDir, "docs.png") });
  await docs.close();
});
