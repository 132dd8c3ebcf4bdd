// The dashboard on a running `./herald local --demo` stack, as an operator uses it: demo traffic
// on, both providers healthy and carrying it; SES broken, it turns unhealthy while SendGrid
// carries everything; SES healed (with the keyboard), it turns healthy and carries traffic again.
// Saves screenshots of each step into OUT_DIR (dashboard-*.png).
//
// usage: node e2e/dashboard-test.mjs BASE_URL OUT_DIR
import { join } from "node:path";
import { check, finish, launchChromium, scriptArguments } from "./harness.mjs";

const { base, outDir } = scriptArguments("e2e/dashboard-test.mjs");

/** Polls `probe` until it returns something truthy, or gives up after `ms`; returns the last value. */
async function until(probe, ms) {
  const end = Date.now() + ms;
  let value = await probe();
  while (!value && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    value = await probe();
  }
  return value;
}

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
  await widePage.waitForTimeout(4000);
  await widePage.screenshot({ path: join(outDir, "dashboard-desktop.png"), fullPage: true });
  await wide.close();

  await page.getByLabel("Demo traffic").selectOption("0");
  check("the page logged no errors", errors.length === 0, errors.join(" | "));
} finally {
  await browser.close();
}
finish();
