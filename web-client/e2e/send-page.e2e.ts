// The page on the running local stack, as a person on a phone uses it: field errors for bad input,
// the server's 422 and 503 shown where and how they should be, then a real send followed until it
// is delivered, then found again by its id. Saves screenshots of each step into HERALD_OUT_DIR.
import { expect, test } from "@playwright/test";
import { join } from "node:path";

const outDir = process.env.HERALD_OUT_DIR ?? "target/browser-test";
const check = test.step;

// A phone's width: the page must work there without sideways scrolling.
test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });

test("a person sees field errors, then sends and watches the message being delivered", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // The refused requests this test provokes on purpose are logged by the browser; anything else is a bug.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });

  await page.goto("/", { waitUntil: "networkidle" });
  await check("the page has a heading", async () => {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Herald");
  });
  await check("nothing is wider than a phone", async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  // 1. Nothing filled in: the form says what is missing, at the fields, and moves focus there.
  await page.getByRole("button", { name: "Send" }).click();
  await check("an empty To is named at its field", async () => {
    await expect(page.locator("#to-error")).toContainText("To is required");
  });
  await check("an empty message is named at its field", async () => {
    await expect(page.locator("#text-error")).toContainText("Text is required");
  });
  await check("the first invalid field gets the focus", async () => {
    await expect(page.locator("#to")).toBeFocused();
  });
  await check("invalid fields are marked for screen readers", async () => {
    await expect(page.locator("#to")).toHaveAttribute("aria-invalid", "true");
  });
  await check("the error is read with its field", async () => {
    await expect(page.locator("#to")).toHaveAttribute("aria-describedby", /to-error/);
  });

  // 2. Bad values, typed with the keyboard: the same rules as the server, before anything is sent.
  await page.getByLabel("To", { exact: false }).first().fill("mailto:nobody, fax:12");
  await page.getByLabel("From", { exact: true }).fill("me@");
  await page.getByLabel("Subject").fill("Line\nbreak");
  await page.getByLabel("Message", { exact: false }).fill("Hello from the browser test");
  await page.keyboard.press("Tab");
  await page.getByRole("button", { name: "Send" }).press("Enter");
  await check("receivers that cannot be delivered to are named with their reasons", async () => {
    await expect(page.locator("#to-error")).toContainText("has no '@'");
    await expect(page.locator("#to-error")).toContainText("unknown scheme 'fax'");
  });
  await check("a bad From address is named at its field", async () => {
    await expect(page.locator("#from-error")).toContainText("From is not a valid email");
  });
  await page.screenshot({ path: join(outDir, "1-field-errors.png"), fullPage: true });

  // 3. What only the server can say (here: this key may not send as that address) shows at the field too.
  await page.getByLabel("To", { exact: false }).first().fill("you@example.org");
  await page.getByLabel("From", { exact: true }).fill("me@example.org");
  await page.getByLabel("Subject").fill("Hello");
  await page.route("**/v1/notifications", (route) => route.fulfill({
    status: 403, contentType: "application/json",
    body: JSON.stringify({ errors: { from: "API key 'ci' may not send as me@example.org" } }),
  }));
  await page.getByRole("button", { name: "Send" }).click();
  await check("a server refusal of a field is shown at that field", async () => {
    await expect(page.locator("#from-error")).toContainText("may not send as");
  });

  // 4. The queue is down: say so plainly, and that nothing was sent.
  await page.unroute("**/v1/notifications");
  await page.route("**/v1/notifications", (route) => route.fulfill({
    status: 503, contentType: "application/json", headers: { "Retry-After": "5" },
    body: JSON.stringify({ errors: { base: "Service unavailable" } }),
  }));
  await page.getByRole("button", { name: "Send" }).click();
  await check("503 is shown plainly with when to retry", async () => {
    const alert = page.locator(".notice[role=alert]");
    await expect(alert).toContainText("Service unavailable");
    await expect(alert).toContainText("nothing was sent");
    await expect(alert).toContainText("5 seconds");
  });
  await page.screenshot({ path: join(outDir, "2-unavailable.png"), fullPage: true });
  await page.unroute("**/v1/notifications");

  // 5. The real thing: sent through the local stack and followed until the pipeline delivered it.
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("heading", { name: "Sent" })).toBeVisible({ timeout: 15_000 });
  const idCell = page.locator(".statuses code").first();
  await check("the message id is shown", async () => {
    await expect(idCell).toHaveText(/^[0-9a-f-]{36}$/);
  });
  const id = (await idCell.textContent()) ?? "";
  await check("the status goes live until delivered", async () => {
    await expect(page.locator('[data-state="delivered"]')).toBeVisible({ timeout: 60_000 });
  });
  await check("delivered names the provider", async () => {
    await expect(page.locator(".state").first()).toContainText("delivered via");
  });
  await page.screenshot({ path: join(outDir, "3-delivered.png"), fullPage: true });
  await check("the result heading says how many were accepted and refused", async () => {
    await expect(page.locator(".accepted h2")).toHaveText("Sent: 1 accepted");
  });

  // 6. Any message found by its id, with every state it went through.
  await page.getByLabel("Notification id").fill(id);
  await page.getByRole("button", { name: "Find" }).click();
  await check("a message found by id shows its status history up to delivered", async () => {
    const history = page.locator(`[data-found="${id}"] [data-history-state]`);
    await expect(history.last()).toHaveAttribute("data-history-state", "delivered", { timeout: 15_000 });
    await expect(history.first()).toHaveAttribute("data-history-state", "queued");
    expect(await history.count()).toBeGreaterThanOrEqual(2);
  });
  await page.getByLabel("Notification id").fill("not-an-id");
  await page.getByRole("button", { name: "Find" }).click();
  await check("a malformed id is refused at the field", async () => {
    await expect(page.locator("#lookup-problem")).toBeVisible();
    await expect(page.getByLabel("Notification id")).toHaveAttribute("aria-invalid", "true");
  });
  await page.screenshot({ path: join(outDir, "4-lookup.png"), fullPage: true });
  await check("the page logged no errors", async () => {
    expect(errors, errors.join(" | ")).toEqual([]);
  });
});
