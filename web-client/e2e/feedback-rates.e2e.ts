// The dashboard's bounce and complaint rates on a running `./herald local` stack. The Java side
// (WebClientBrowserTest) has put feedback counts for rates-e2e.example into the stack's status
// table, as FeedbackRecorder adds them when it records SES or SendGrid feedback: 19 deliveries,
// 1 hard bounce, 1 complaint. Saves a screenshot into HERALD_OUT_DIR (feedback-rates.png).
import { expect, test } from "@playwright/test";
import { join } from "node:path";

const outDir = process.env.HERALD_OUT_DIR ?? "target/browser-test";
const check = test.step;

test("an operator reads each sender domain's bounce and complaint rates", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto("/#/dashboard", { waitUntil: "networkidle" });
  const section = page.getByRole("region", { name: "Bounces and complaints" });
  const row = section.locator('tr[data-sender-domain="rates-e2e.example"]');
  await check("the domain is listed with its counts", async () => {
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.locator("td").nth(0)).toHaveText("19");
    await expect(row.locator("td").nth(1)).toHaveText("1");
  });
  await check("the bounce rate is 5.0 %, at the alert's threshold and not marked", async () => {
    await expect(row.locator("td").nth(2)).toHaveText("5.0 %");
    await expect(row.locator("td").nth(2)).not.toHaveAttribute("data-above-alert", "true");
  });
  await check("the complaint rate is 5.3 %, marked above the 0.1 % alert", async () => {
    await expect(row.locator("td").nth(4)).toHaveText("5.3 %");
    await expect(row.locator("td").nth(4)).toHaveAttribute("data-above-alert", "true");
  });
  await section.screenshot({ path: join(outDir, "feedback-rates.png") });
  expect(errors).toEqual([]);
});
