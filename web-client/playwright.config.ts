import { defineConfig } from "@playwright/test";

// The browser tests (e2e/*.e2e.ts) against a running local stack: HERALD_BASE_URL is its API (which
// serves the page), HERALD_OUT_DIR where screenshots go. Run through e2e/run-browser-test.sh, which
// sets both and installs Debian's Chromium when missing; `npx playwright install` cannot work here.
const outDir = process.env.HERALD_OUT_DIR ?? "target/browser-test";

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.e2e.ts",
  // Each file is one story on one stack, step after step: in order, never retried, one at a time.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  // The dashboard story waits for breakers to open and close; the steps' own timeouts bound each wait.
  timeout: 10 * 60_000,
  outputDir: `${outDir}/playwright`,
  // One line per step ("ok   what" / "FAIL what: why"), as WebClientBrowserTest reads them.
  reporter: [["./e2e/check-reporter.ts"]],
  use: {
    baseURL: process.env.HERALD_BASE_URL,
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      // Without the background-networking flags Chromium tries to reach Google's hosts at every start.
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    // A missing button fails within half a minute instead of at the test's timeout.
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    screenshot: "only-on-failure",
    trace: "off",
  },
});
