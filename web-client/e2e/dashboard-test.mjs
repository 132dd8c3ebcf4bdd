// The dashboard on a running `./herald local --demo` stack, as an operator uses it: demo traffic
// on, both providers healthy and carrying it; SES broken, it turns unhealthy while SendGrid
// carries everything; SES healed (with the keyboard), it turns healthy and carries traffic again.
// Saves screenshots of each step into OUT_DIR (dashboard-*.png).
//
// usage: node e2e/dashboard-test.mjs BASE_URL OUT_DIR
import { join } from "node:path";
import { check, contrastRatio, finish, launchChromium, poll as until, scriptArguments } from "./harness.mjs";

const { base, outDir } = scriptArguments("e2e/dashboard-test.mjs");

const browser = await launchChromium();
try {
  // A phone's width first: every table must fit or scroll inside its own box.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  await page.goto(base + "/", { waitUntil: "networkidle" });
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Dashboard" }).click();
  check("the navigation leads to the dashboard", (await page.getByRole("heading", { level: 1 }).textContent()) === "Dashboard");
  check("the current page is marked for screen readers",
    (await page.getByRole("link", { name: "Dashboard" }).getAttribute("aria-current")) === "page");

  const state = (provider) => page.locator(`table[data-channel="email"] tr[data-provider="${provider}"] [data-state]`)
    .getAttribute("data-state", { timeout: 1000 }).catch(() => null);
  const delivered = async (provider) => Number(await page
    .locator(`table[data-channel="email"] tr[data-provider="${provider}"] td.num`).first().textContent({ timeout: 1000 })
    .catch(() => "NaN"));

  // A desktop-width window watches the whole story too; its screenshot at the end is the README's.
  const wide = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const widePage = await wide.newPage();
  await widePage.goto(base + "/#/dashboard", { waitUntil: "networkidle" });

  await page.getByLabel("Demo traffic").selectOption("10");
  const bothHealthy = await until(async () => (await state("ses")) === "healthy" && (await state("sendgrid")) === "healthy", 30_000);
  check("both email providers are shown healthy", bothHealthy, `ses ${await state("ses")}, sendgrid ${await state("sendgrid")}`);
  const bothCarry = await until(async () => (await delivered("ses")) > 5 && (await delivered("sendgrid")) > 5, 30_000);
  check("both carry the demo traffic", bothCarry);
  const rates = await until(async () => {
    const text = await page.locator(".legend").textContent();
    return /ses \d/.test(text ?? "") && /sendgrid \d/.test(text ?? "") ? text : null;
  }, 30_000);
  check("the chart shows deliveries per second for each provider", rates, await page.locator(".legend").textContent());
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check("nothing is wider than a phone", width <= 390, `scrollWidth ${width}`);
  await page.screenshot({ path: join(outDir, "dashboard-1-healthy.png"), fullPage: true });

  // Break SES: its stand-in answers 500, so its breaker opens and only single probes reach it.
  await page.getByRole("button", { name: "Break ses" }).click();
  const unhealthy = await until(async () => ["unhealthy", "probing"].includes(await state("ses")), 30_000);
  check("a broken SES turns unhealthy", unhealthy, `ses ${await state("ses")}`);
  const sesBefore = await delivered("ses");
  const sendgridBefore = await delivered("sendgrid");
  await page.waitForTimeout(6000);
  const sesGained = (await delivered("ses")) - sesBefore;
  const sendgridGained = (await delivered("sendgrid")) - sendgridBefore;
  check("SendGrid carries the traffic while SES delivers nothing", sesGained === 0 && sendgridGained > 20,
    `ses +${sesGained}, sendgrid +${sendgridGained}`);
  const probes = await until(async () => Number(await page.locator('tr[data-provider="ses"] td.num').nth(2).textContent()) > 0, 10_000);
  check("SES shows the probes it got while unhealthy", probes);
  const sesRow = page.locator('table[data-channel="email"] tr[data-provider="ses"]');
  const why = await until(async () => {
    const text = await sesRow.locator("td.last-error").textContent();
    return text && text !== "none" ? text : null;
  }, 10_000);
  check("an unhealthy SES says why: its last error", why && /500/.test(why), why ?? "");
  check("and since when it is unhealthy", await until(() => sesRow.locator(".since time").count(), 5_000));
  await page.screenshot({ path: join(outDir, "dashboard-2-ses-broken.png"), fullPage: true });

  // Heal SES with the keyboard: the button is reachable and works with Enter.
  await page.getByRole("button", { name: "Heal ses" }).focus();
  await page.keyboard.press("Enter");
  const healthy = await until(async () => (await state("ses")) === "healthy", 30_000);
  check("a healed SES turns healthy again after its probes succeed", healthy, `ses ${await state("ses")}`);
  const sesHealed = await delivered("ses");
  const carriesAgain = await until(async () => (await delivered("ses")) - sesHealed > 10, 30_000);
  check("SES carries traffic again", carriesAgain);
  await page.screenshot({ path: join(outDir, "dashboard-3-healed.png"), fullPage: true });

  // Pause SendGrid from the page: the same switch as `herald pause`, shown with who and since when.
  await page.getByRole("button", { name: "Pause sendgrid" }).click();
  const pausedRow = await until(async () => (await state("sendgrid")) === "paused", 30_000);
  check("a provider paused from the page turns paused", pausedRow, `sendgrid ${await state("sendgrid")}`);
  const pauseNote = page.locator('[data-pause="provider/sendgrid"]');
  const note = await until(async () => (await pauseNote.count()) > 0 && (await pauseNote.textContent()), 10_000);
  check("the pause says who and since when", note && note.includes("paused by") && note.includes("since"), note ?? "");
  await page.getByRole("button", { name: "Resume sendgrid" }).click();
  const resumed = await until(async () => (await state("sendgrid")) === "healthy", 30_000);
  check("resumed from the page, it carries traffic again", resumed, `sendgrid ${await state("sendgrid")}`);
  await page.getByRole("button", { name: "Pause channel email" }).click();
  const channelPaused = await until(
    async () => (await state("ses")) === "paused" && (await state("sendgrid")) === "paused", 30_000);
  check("a channel paused from the page pauses its providers", channelPaused);
  const parked = await until(async () => {
    const cells = await page.locator('td[data-column="delayed"]').allTextContents();
    return cells.some((c) => Number(c) > 0);
  }, 30_000);
  check("its messages show as parked (delayed) while it is paused", parked);
  await page.getByRole("button", { name: "Resume channel email" }).click();
  check("the channel resumes", await until(async () => (await state("ses")) !== "paused", 30_000));

  // A reload keeps the chart: its history comes from the API, not from this page's polls.
  await page.reload({ waitUntil: "domcontentloaded" });
  const pointsAfterReload = await until(async () => {
    const points = await page.locator('polyline[data-provider="sendgrid"]').getAttribute("points", { timeout: 2000 })
      .catch(() => null);
    const count = points ? points.trim().split(/\s+/).length : 0;
    return count >= 5 ? count : null;
  }, 3_000);
  check("after a reload the chart is drawn again at once from the API's history", pointsAfterReload,
    String(pointsAfterReload));

  // Dead letters: listed with reason, shown with body, counted by a dry run, then redriven by filter.
  await page.getByRole("button", { name: "List dead letters" }).click();
  const listedRows = await until(async () => Number(await page.locator("table[data-dead-letters]")
    .getAttribute("data-dead-letters", { timeout: 1000 }).catch(() => 0)), 30_000);
  check("the seeded dead letters are listed", listedRows === 2, String(listedRows));
  const reasons = await page.locator("table[data-dead-letters] td.reason").allTextContents();
  check("each with its reason", reasons.some((r) => r.includes("SendGrid 400")), reasons.join(" | "));
  await page.locator("table[data-dead-letters] tbody tr").first()
    .getByRole("button", { name: /^Show dead letter/ }).click();
  const body = await until(async () => (await page.locator("pre.body").count()) > 0
    && (await page.locator("pre.body").textContent()), 30_000);
  check("one is shown with its body", body && body.includes("dead-letter-e2e"), (body ?? "").slice(0, 200));
  await page.getByLabel("Provider", { exact: true }).fill("sendgrid");
  await page.getByRole("button", { name: "Count what would move" }).click();
  const dry = await until(async () => (await page.locator("[data-redrive-result]").count()) > 0
    && (await page.locator("[data-redrive-result]").textContent()), 30_000);
  check("a dry run counts what the filter selects and moves nothing", dry && dry.includes("would move 1"), dry ?? "");
  await page.getByLabel("Dry run (count only)").uncheck();
  await page.getByRole("button", { name: "Redrive matching" }).click();
  const moved = await until(async () => {
    const text = await page.locator("[data-redrive-result]").textContent();
    return text?.startsWith("Moved") ? text : null;
  }, 30_000);
  check("the redrive says how many moved", moved && moved.startsWith("Moved 1 back"), moved ?? "");
  await page.getByLabel("Provider", { exact: true }).fill("");
  await page.getByRole("button", { name: "List dead letters" }).click();
  const left = await until(async () => Number(await page.locator("table[data-dead-letters]")
    .getAttribute("data-dead-letters", { timeout: 1000 }).catch(() => 0)) === 1, 30_000);
  check("only the one the filter did not select is left", left);
  const phoneWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check("with every section open, nothing is wider than a phone", phoneWidth <= 390, `scrollWidth ${phoneWidth}`);
  await page.screenshot({ path: join(outDir, "dashboard-4-dead-letters.png"), fullPage: true });
  await widePage.waitForTimeout(4000);
  await widePage.screenshot({ path: join(outDir, "dashboard-desktop.png"), fullPage: true });
  await wide.close();

  await page.getByLabel("Demo traffic").selectOption("0");
  check("the page logged no errors", errors.length === 0, errors.join(" | "));

  // Dark mode: every button's text against its background passes WCAG AA (4.5:1), from computed styles.
  const dark = await browser.newContext({ viewport: { width: 1100, height: 1000 }, colorScheme: "dark" });
  const darkPage = await dark.newPage();
  await darkPage.goto(base + "/#/dashboard", { waitUntil: "networkidle" });
  await darkPage.getByRole("button", { name: "List dead letters" }).waitFor();
  const colours = await darkPage.locator("button").evaluateAll((buttons) => buttons.map((b) => {
    let background = "rgba(0, 0, 0, 0)";
    for (let e = b; e && /rgba\(.*, 0\)$|transparent/.test(background); e = e.parentElement) {
      background = getComputedStyle(e).backgroundColor;
    }
    return { name: b.textContent, color: getComputedStyle(b).color, background };
  }));
  const weak = colours.map((c) => ({ ...c, ratio: contrastRatio(c.color, c.background) })).filter((c) => c.ratio < 4.5);
  check(`dark-mode buttons pass WCAG AA contrast (${colours.length} checked)`, colours.length > 3 && weak.length === 0,
    JSON.stringify(weak));
  await darkPage.screenshot({ path: join(outDir, "dashboard-dark.png"), fullPage: true });
  await dark.close();

  // The API reference for people, served by the API itself: nothing fetched from elsewhere.
  const docs = await browser.newContext();
  const docsPage = await docs.newPage();
  const foreign = [];
  const docsErrors = [];
  docsPage.on("request", (r) => !r.url().startsWith(base) && !r.url().startsWith("data:") && foreign.push(r.url()));
  docsPage.on("console", (m) => m.type() === "error" && docsErrors.push(m.text()));
  docsPage.on("response", (r) => r.status() >= 400 && docsErrors.push(`${r.status()} ${r.url()}`));
  await docsPage.goto(base + "/docs", { waitUntil: "networkidle" });
  const operation = await until(
    async () => (await docsPage.getByText("/v1/admin/dead-letters/redrive").count()) > 0, 15_000);
  check("/docs shows the API reference, bundled", operation);
  check("/docs fetches nothing from elsewhere and logs no errors", foreign.length === 0 && docsErrors.length === 0,
    [...foreign, ...docsErrors].join(" | "));
  await docsPage.screenshot({ path: join(outDir, "docs.png") });
  await docs.close();
} finally {
  await browser.close();
}
finish();
