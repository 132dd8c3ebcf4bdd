import { describe, expect, it } from "vitest";
import { acceptedHeading } from "./App";
import { describeRedrive } from "./DeadLetters";

describe("the Send page's result heading", () => {
  it("says how many were accepted, and refused when any were", () => {
    expect(acceptedHeading(1, 0)).toBe("Sent: 1 accepted");
    expect(acceptedHeading(3, 2)).toBe("Sent: 3 accepted, 2 refused");
  });
});

describe("a redrive's result", () => {
  const result = { examined: 7, matched: 3, moved: 3, failed: 0, doubled: 0, returned: 0, dryRun: false };

  it("says what a dry run would move and that nothing moved", () => {
    expect(describeRedrive({ ...result, moved: 0, dryRun: true }))
      .toBe("Dry run: would move 3 of them back (7 examined); nothing was moved.");
  });

  it("says how many moved, and what went wrong with the rest", () => {
    expect(describeRedrive(result)).toBe("Moved 3 back to their queues (7 examined).");
    expect(describeRedrive({ ...result, moved: 1, failed: 1, returned: 1 }))
      .toBe("Moved 1 back to their queues (7 examined); 1 refused by SQS, still dead-lettered; "
        + "1 failed again during the run and were left there.");
  });
});
