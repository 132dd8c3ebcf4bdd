import { describe, expect, it } from "vitest";
import { advance, chartWindow, EMPTY_HISTORY, fromSamples, latest, rate } from "./rates";

const T = Date.parse("2026-11-23T01:00:00Z");

describe("rate between two reports", () => {
  it("is the growth of the count over the time between the reports", () => {
    expect(rate({ delivered: 100, at: T }, { delivered: 130, at: T + 2000 })).toBe(15);
  });

  it("is zero when nothing was delivered", () => {
    expect(rate({ delivered: 7, at: T }, { delivered: 7, at: T + 4000 })).toBe(0);
  });

  it("is unknown without an earlier report", () => {
    expect(rate(undefined, { delivered: 10, at: T })).toBeNull();
  });

  it("is unknown when the report was not renewed since the last poll", () => {
    expect(rate({ delivered: 10, at: T }, { delivered: 10, at: T })).toBeNull();
  });

  it("is unknown when the count went down (an instance restarted)", () => {
    expect(rate({ delivered: 500, at: T }, { delivered: 3, at: T + 2000 })).toBeNull();
  });
});

describe("history over successive polls", () => {
  it("adds a point per provider for each newer report", () => {
    let h = advance(EMPTY_HISTORY, { ses: { delivered: 0, at: T }, sendgrid: { delivered: 0, at: T } }, 60_000);
    h = advance(h, { ses: { delivered: 20, at: T + 2000 }, sendgrid: { delivered: 10, at: T + 2000 } }, 60_000);
    h = advance(h, { ses: { delivered: 20, at: T + 4000 }, sendgrid: { delivered: 40, at: T + 4000 } }, 60_000);
    expect(h.series.ses.map((p) => p.perSecond)).toEqual([10, 0]);
    expect(h.series.sendgrid.map((p) => p.perSecond)).toEqual([5, 15]);
    expect(latest(h, "sendgrid")).toBe(15);
  });

  it("measures a late report against the last one it saw, not the poll in between", () => {
    let h = advance(EMPTY_HISTORY, { ses: { delivered: 0, at: T } }, 60_000);
    h = advance(h, { ses: { delivered: 0, at: T } }, 60_000);
    h = advance(h, { ses: { delivered: 40, at: T + 4000 } }, 60_000);
    expect(h.series.ses).toEqual([{ at: T + 4000, perSecond: 10 }]);
  });

  it("starts over after a count went down instead of charting a negative rate", () => {
    let h = advance(EMPTY_HISTORY, { ses: { delivered: 100, at: T } }, 60_000);
    h = advance(h, { ses: { delivered: 2, at: T + 2000 } }, 60_000);
    h = advance(h, { ses: { delivered: 12, at: T + 4000 } }, 60_000);
    expect(h.series.ses.map((p) => p.perSecond)).toEqual([5]);
  });

  it("drops points older than the window", () => {
    let h = EMPTY_HISTORY;
    for (let i = 0; i <= 10; i++) h = advance(h, { ses: { delivered: i * 10, at: T + i * 1000 } }, 5000);
    expect(h.series.ses.map((p) => p.at)).toEqual([5, 6, 7, 8, 9, 10].map((i) => T + i * 1000));
  });

  it("has no rate for a provider before its second report", () => {
    const h = advance(EMPTY_HISTORY, { ses: { delivered: 5, at: T } }, 60_000);
    expect(latest(h, "ses")).toBeNull();
  });
});

describe("the history the API kept", () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();

  it("replays into the same rates as polling would have drawn", () => {
    const samples = [
      { providers: { ses: { delivered: 0, at: at(0) } } },
      { providers: { ses: { delivered: 10, at: at(2) } } },
      { providers: { ses: { delivered: 30, at: at(4) } } },
    ];
    const history = fromSamples(samples, 3_600_000);
    expect(history.series.ses.map((p) => p.perSecond)).toEqual([5, 10]);
    expect(latest(history, "ses")).toBe(10);
  });

  it("spans from its oldest point to now, within the bounds", () => {
    const history = fromSamples([
      { providers: { ses: { delivered: 0, at: at(0) } } },
      { providers: { ses: { delivered: 1, at: at(10) } } },
    ], 3_600_000);
    const tenMinutesLater = Date.parse(at(10)) + 10 * 60_000;
    expect(chartWindow(history, tenMinutesLater, 120_000, 3_600_000)).toBe(10 * 60_000);
    expect(chartWindow(history, Date.parse(at(10)), 120_000, 3_600_000)).toBe(120_000);
    expect(chartWindow(history, Date.parse(at(10)) + 7_200_000, 120_000, 3_600_000)).toBe(3_600_000);
    expect(chartWindow(EMPTY_HISTORY, 0, 120_000, 3_600_000)).toBe(120_000);
  });
});
