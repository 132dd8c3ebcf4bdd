// A Slurm user's own settings page (#/me) on the running local stack, as a user on a phone meets it:
// they ask for a link, read it from the mail Herald delivered (local mode's outbox, HERALD_OUTBOX),
// open it, get the API's field errors next to their fields, save, find their choices again after a
// reload; the same link a second time, and a forged one, say so and offer a new link.
import { expect, test, type Page } from "@playwright/test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const outDir = process.env.HERALD_OUT_DIR ?? "target/browser-test";
const outbox = process.env.HERALD_OUTBOX ?? "";
const check = test.step;

test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });

/** The tokens of the links mailed to `address` so far (the outbox holds one .eml per message). */
function linksTo(address: string): string[] {
  const tokens: string[] = [];
  // The outbox directory appears with the first mail the pipeline delivers; until then, no links.
  if (!existsSync(outbox)) return tokens;
  for (const name of readdirSync(outbox).filter((n) => n.endsWith(".eml"))) {
    // Quoted-printable: undo soft line breaks and the escaped "=".
    const mail = readFileSync(join(outbox, name), "utf8").replace(/=\r?\n/g, "").replace(/=3D/gi, "=");
    if (!mail.includes(address)) continue;
    const found = /#\/me\?t=([A-Za-z0-9._-]+)/.exec(mail);
    if (found) tokens.push(found[1]);
  }
  return [...new Set(tokens)];
}

async function askForLink(page: Page, user: string, button: string) {
  await page.getByLabel("Your user name on the cluster").fill(user);
  await page.getByRole("button", { name: button }).click();
  await expect(page.locator("#link-sent")).toContainText("link to their preferences is on its way");
}

test("a Slurm user opens their link, is told what is wrong at the field, saves, a used link says so", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  expect(outbox, "HERALD_OUTBOX names local mode's outbox").not.toBe("");

  await page.goto("/#/me", { waitUntil: "networkidle" });
  await check("without a link the page offers to send one", async () => {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your notification settings");
    await expect(page.getByRole("button", { name: "Send me a link" })).toBeVisible();
  });
  await askForLink(page, "alice", "Send me a link");
  let token = "";
  await check("the link arrives by mail at alice's default receiver", async () => {
    await expect.poll(() => linksTo("alice@cluster.example.org").length, { timeout: 60_000 }).toBe(1);
    token = linksTo("alice@cluster.example.org")[0];
  });

  await page.goto(`/#/me?t=${token}`);
  await check("the link opens alice's settings", async () => {
    await expect(page.locator(".lead strong")).toHaveText("alice");
    await expect(page.getByLabel("Receiver 1", { exact: true })).toBeVisible();
  });
  await check("the link is gone from the address bar", async () => {
    await expect(page).toHaveURL(/#\/me$/);
  });

  // Bad values: a channel without a provider here, and a time zone that does not exist.
  await page.getByLabel("Receiver 1", { exact: true }).fill("mailto:alice@uni.org");
  await page.getByRole("button", { name: "Add a receiver" }).click();
  await page.getByLabel("Name of receiver 2").fill("chat");
  await page.getByLabel("Receiver 2", { exact: true }).fill("slack:C0123");
  await page.getByRole("group", { name: /Job ended/ }).getByLabel("How often").selectOption("hourly");
  await page.getByLabel(/Hold notifications during quiet hours/).check();
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save" }).click();
  await check("a receiver on a channel without a provider is refused at its field, with the reason", async () => {
    await expect(page.locator("#receiver-1-error")).toContainText("channel slack has no provider");
    await expect(page.getByLabel("Receiver 2", { exact: true })).toHaveAttribute("aria-invalid", "true");
  });
  await check("an unknown time zone is named at its field", async () => {
    await expect(page.locator("#timeZone-error")).toContainText("is not a time zone");
  });
  await check("the page says nothing was saved", async () => {
    await expect(page.getByRole("alert").last()).toContainText("nothing was saved");
  });
  await page.screenshot({ path: join(outDir, "me-1-field-errors.png"), fullPage: true });

  await page.getByRole("button", { name: "Remove receiver 2" }).click();
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByRole("button", { name: "Save" }).click();
  await check("fixed, the settings are saved", async () => {
    await expect(page.getByRole("alert").last()).toContainText("Saved.");
  });

  await page.reload();
  await check("after a reload the saved choices are shown again", async () => {
    await expect(page.getByLabel("Receiver 1", { exact: true })).toHaveValue("mailto:alice@uni.org");
    await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
    await expect(page.getByRole("group", { name: /Job ended/ }).getByLabel("How often")).toHaveValue("hourly");
  });
  await page.screenshot({ path: join(outDir, "me-2-saved.png"), fullPage: true });

  // The same link again, in a fresh tab without the session: it worked once.
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`/#/me?t=${token}`);
  await check("a used link says so", async () => {
    await expect(page.locator("#link-problem")).toContainText("already used");
  });
  await check("and offers a new link for the same user", async () => {
    await expect(page.getByLabel("Your user name on the cluster")).toHaveValue("alice");
  });
  await page.screenshot({ path: join(outDir, "me-3-used-link.png"), fullPage: true });
  await page.getByRole("button", { name: "Send me a new link" }).click();
  await check("asking again sends a new link", async () => {
    await expect(page.locator("#link-sent")).toBeVisible();
    await expect.poll(() => linksTo("alice@cluster.example.org").length, { timeout: 60_000 }).toBe(2);
  });

  await page.goto("/#/me?t=l.YWxpY2U.9999999999.bm9uY2U.Zm9yZ2Vk");
  await check("a forged link is refused and says so", async () => {
    await expect(page.locator("#link-problem")).toContainText("not valid");
  });

  await check("nothing is wider than a phone", async () => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
  await check("no errors in the browser console", async () => {
    expect(errors).toEqual([]);
  });
});
