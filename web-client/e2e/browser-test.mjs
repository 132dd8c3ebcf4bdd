// The page on the running local stack, as a person on a phone uses it: field errors for bad input,
// the server's 422 and 503 shown where and how they should be, then a real send followed until it
// is delivered. Saves screenshots of each step into OUT_DIR.
//
// usage: node e2e/browser-test.mjs BASE_URL OUT_DIR
import { join } from "node:path";
import { check, finish, launchChromium, poll, scriptArguments } from "./harness.mjs";

const { base, outDir } = scriptArguments("e2e/browser-test.mjs");

const browser = await launchChromium();
try {
  // A phone's width: the page must work there without sideways scrolling.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // The refused requests this test provokes on purpose are logged by the browser; anything else is a bug.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));

  await page.goto(base + "/", { waitUntil: "networkidle" });
  check("the page has a heading", (await page.getByRole("heading", { level: 1 }).textContent()) === "Herald");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check("nothing is wider than a phone", width <= 390, `scrollWidth ${width}`);

  // 1. Nothing filled in: the form says what is missing, at the fields, and moves focus there.
  await page.getByRole("button", { name: "Send" }).click();
  check("an empty To is named at its field", (await page.locator("#to-error").textContent())?.includes("To is required"));
  check("an empty message is named at its field", (await page.locator("#text-error").textContent())?.includes("Text is required"));
  check("the first invalid field gets the focus", await page.evaluate(() => document.activeElement?.id === "to"));
  check("invalid fields are marked for screen readers", (await page.locator("#to").getAttribute("aria-invalid")) === "true");
  check("the error is read with its field", (await page.locator("#to").getAttribute("aria-describedby"))?.includes("to-error"));

  // 2. Bad values, typed with the keyboard: the same rules as the server, before anything is sent.
  await page.getByLabel("To", { exact: false }).first().fill("mailto:nobody, fax:12");
  await page.getByLabel("From", { exact: true }).fill("me@");
  await page.getByLabel("Subject").fill("Line\nbreak");
  await page.getByLabel("Message", { exact: false }).fill("Hello from the browser test");
  await page.keyboard.press("Tab");
  await page.getByRole("button", { name: "Send" }).press("Enter");
  const toError = await page.locator("#to-error").textContent();
  check("receivers that cannot be delivered to are named with their reasons", toError?.includes("has no '@'") && toError?.includes("unknown scheme 'fax'"), toError ?? "");
  check("a bad From address is named at its field", (await page.locator("#from-error").textContent())?.includes("From is not a valid email"));
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
  await page.locator("#from-error").waitFor();
  check("a server refusal of a field is shown at that field", (await page.locator("#from-error").textContent())?.includes("may not send as"));

  // 4. The queue is down: say so plainly, and that nothing was sent.
  await page.unroute("**/v1/notifications");
  await page.route("**/v1/notifications", (route) => route.fulfill({
    status: 503, contentType: "application/json", headers: { "Retry-After": "5" },
    body: JSON.stringify({ errors: { base: "Service unavailable" } }),
  }));
  await page.getByRole("button", { name: "Send" }).click();
  const alert = page.locator(".notice[role=alert]");
  await alert.waitFor();
  const unavailable = await alert.textContent();
  check("503 is shown plainly with when to retry", unavailable?.includes("Service unavailable") && unavailable?.includes("nothing was sent") && unavailable?.includes("5 seconds"), unavailable ?? "");
  await page.screenshot({ path: join(outDir, "2-unavailable.png"), fullPage: true });
  await page.unroute("**/v1/notifications");

  // 5. The real thing: sent through the local stack and followed until the pipeline delivered it.
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByRole("heading", { name: "Sent" }).waitFor({ timeout: 15_000 });
  const id = await page.locator(".statuses code").first().textContent();
  check("the message id is shown", /^[0-9a-f-]{36}$/.test(id ?? ""), id ?? "");
  try {
    await page.locator('[data-state="delivered"]').waitFor({ timeout: 60_000 });
    check("the status goes live until delivered", true);
  } catch {
    check("the status goes live until delivered", false, await page.locator(".state").first().textContent());
  }
  const stateText = await page.locator(".state").first().textContent();
  check("delivered names the provider", stateText?.includes("delivered via"), stateText ?? "");
  await page.screenshot({ path: join(outDir, "3-delivered.png"), fullPage: true });
  const heading = await page.locator(".accepted h2").textContent();
  check("the result heading says how many were accepted and refused", heading === "Sent: 1 accepted", heading ?? "");

  // 6. Any message found by its id, with every state it went through.
  await page.getByLabel("Notification id").fill(id ?? "");
  await page.getByRole("button", { name: "Find" }).click();
  const found = page.locator(`[data-found="${id}"]`);
  const history = await poll(async () => {
    const states = await found.locator("[data-history-state]").evaluateAll((items) =>
      items.map((li) => li.getAttribute("data-history-state")));
    return states.at(-1) === "delivered" ? states : null;
  }, 15_000);
  check("a message found by id shows its status history up to delivered",
    history && history[0] === "queued" && history.length >= 2, JSON.stringify(history));
  await page.getByLabel("Notification id").fill("not-an-id");
  await page.getByRole("button", { name: "Find" }).click();
  await page.locator("#lookup-problem").waitFor();
  check("a malformed id is refused at the field",
    await page.getByLabel("Notification id").getAttribute("aria-invalid") === "true");
  await page.screenshot({ path: join(outDir, "4-lookup.png"), fullPage: true });
  check("the page logged no errors", errors.length === 0, errors.join(" | "));
} finally {
  await browser.close();
}
finish();
