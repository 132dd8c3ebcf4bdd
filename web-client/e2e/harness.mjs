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

/**
 * Waits for a condition instead of reading once: polls `probe` until it returns something truthy,
 * or gives up after `ms`; returns the last value (falsy when it never held).
 */
export async function poll(probe, ms) {
  const end = Date.now() + ms;
  let value = await probe();
  while (!value && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    value = await probe();
  }
  return value;
}

/** WCAG 2 contrast ratio of two CSS colours given as rgb()/rgba() (the computed-style form). */
export function contrastRatio(foreground, background) {
  const luminance = (css) => {
    const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
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
