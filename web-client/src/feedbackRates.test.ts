import { describe, expect, it } from "vitest";
import { aboveAlert, BOUNCE_ALERT, COMPLAINT_ALERT, formatRate } from "./feedbackRates";

describe("feedback rates on the dashboard", () => {
  it("are shown as percentages, small ones with two decimals, none as a dash", () => {
    expect(formatRate(0.05)).toBe("5.0 %");
    expect(formatRate(1 / 19)).toBe("5.3 %");
    expect(formatRate(0.0005)).toBe("0.05 %");
    expect(formatRate(0)).toBe("0.00 %");
    expect(formatRate(null)).toBe("–");
  });

  it("are marked above the alerts' thresholds only", () => {
    expect(aboveAlert(0.05, BOUNCE_ALERT)).toBe(false);
    expect(aboveAlert(0.051, BOUNCE_ALERT)).toBe(true);
    expect(aboveAlert(0.002, COMPLAINT_ALERT)).toBe(true);
    expect(aboveAlert(null, COMPLAINT_ALERT)).toBe(false);
  });
});
