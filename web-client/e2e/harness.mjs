// What the browser scripts share: their command line, Debian's Chromium launched so that it
// reaches nothing outside this machine, and checks that print "ok   what" or "FAIL what: detail"
// and decide the exit status.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

/** BASE_URL and OUT_DIR from the command line (OUT_DIR is created); exits 2 without them. */
export function scriptArguments(script) {
  const [base, outDir] = process.argv.slice(2);
  if (!base || !outDir) {
    console.error(`usage: node ${script} BASE_URL OUT_DIR`);
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  return { base, outDir };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    // Without the background-networking flags Chromium tries to reach Google's hosts at every start.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

let failures = 0;
let passes = 0;

export function check(what, condition, detail = "") {
  if (condition) {
    passes++;
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}${detail ? ": " + detail : ""}`);
  }
}

/** Prints the tally and exits: 0 when every check passed. */
export function finish() {
  console.log(`${passes} passed, ${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}
