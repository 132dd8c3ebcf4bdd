import type { FullResult, Reporter, TestCase, TestResult, TestStep } from "@playwright/test/reporter";

/**
 * Prints each test.step as one line, "ok   what" or "FAIL what: why", and a tally at the end, so
 * the Maven test (WebClientBrowserTest) can name the checks it relies on. A failure outside any
 * step (a fixture, the browser) is printed with the test's title.
 */
export default class CheckReporter implements Reporter {
  private passed = 0;
  private failed = 0;

  onStepEnd(_test: TestCase, _result: TestResult, step: TestStep) {
    if (step.category !== "test.step") return;
    if (step.error) {
      this.failed++;
      console.log(`FAIL ${step.title}: ${firstLines(step.error.message ?? String(step.error.value))}`);
    } else {
      this.passed++;
      console.log(`ok   ${step.title}`);
    }
  }

  onTestEnd(test: TestCase, result: TestResult) {
    const inSteps = result.steps.some((s) => s.category === "test.step" && s.error);
    if (result.status !== "passed" && !inSteps) {
      this.failed++;
      console.log(`FAIL ${test.title} (${result.status}): ${firstLines(result.error?.message ?? "")}`);
    }
  }

  onEnd(result: FullResult) {
    console.log(`${this.passed} passed, ${this.failed} failed (${result.status})`);
  }

  printsToStdio() {
    return true;
  }
}

/** Playwright's messages carry ANSI colours and a call log; the first lines say what failed. */
function firstLines(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/\u001b\[[0-9;]*m/g, "").split("\n").slice(0, 6).join(" | ");
}
