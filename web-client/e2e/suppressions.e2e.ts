// The suppression list on the dashboard of a running `./herald local` stack, as an operator uses
// it: an address suppressed from the page is listed with its reason and source, an email sent to
// it ends `suppressed` without reaching the provider, and removed from the page it is gone.
// Saves a screenshot into HERALD_OUT_DIR (suppressions-1-listed.png).
import { expect, test } from "@playwright/test";
import { join } from "node:path";

const outDir = process.env.HERALD_OUT_DIR ?? "target/browser-test";
const check = test.step;
const address = `suppressed-e2e-${Date.now()}@example.org`;

test("an operator suppresses an address, its email ends suppressed, then removes it", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto("/#/dashboard", { waitUntil: "networkidle" });
  const section = page.getByRole("region", { name: "Suppressed addresses" });
  await check("the dashboard shows the suppression list", async () => {
    await expect(page.getByRole("heading", { name: "Suppressed addresses" })).toBeVisible({ timeout: 30_000 });
  });

  await section.getByLabel("Address to suppress").fill(address);
  await section.getByRole("button", { name: "Suppress", exact: true }).click();
  await check("a missing reason is refused, naming the field", async () => {
    await expect(section.getByRole("alert")).toContainText("Reason:");
  });

  await section.getByLabel("Reason").fill("asked by phone, ticket 4711");
  await section.getByRole("button", { name: "Suppress", exact: true }).click();
  const row = section.locator(`tr[data-address="${address}"]`);
  await check("the suppressed address is listed with its reason and source", async () => {
    await expect(row).toContainText("asked by phone, ticket 4711");
    await expect(row).toContainText("admin:anonymous");
    await expect(row).toContainText("all");
  });
  await page.screenshot({ path: join(outDir, "suppressions-1-listed.png"), fullPage: true });

  await check("an email to it ends suppressed, unsent", async () => {
    const sent = await page.request.post("/v1/notifications", {
      data: { to: `mailto:${address}`, from: "herald@example.org", title: "Hello", text: "Body" },
    });
    expect(sent.status()).toBe(202);
    const status = (await sent.json()).notifications[0].status as string;
    await expect.poll(async () => (await (await page.request.get(status)).json()).state, { timeout: 60_000 })
      .toBe("suppressed");
  });

  await section.getByRole("button", { name: `Remove ${address}` }).click();
  await check("removed from the page, it is no longer listed", async () => {
    await expect(section.locator("[data-suppression-notice]")).toContainText(`Removed ${address}`);
    await expect(row).toHaveCount(0);
  });

  await check("the page logged no errors", async () => {
    expect(errors).toEqual([]);
  });
});
