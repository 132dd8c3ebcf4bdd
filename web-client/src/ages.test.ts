import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { formatAge, unknownAgeNotes } from "./ages";
import { Queues } from "./Dashboard";
import type { QueueOverview } from "./overview";

describe("an age at a glance", () => {
  it("is in seconds, minutes, hours or days, rounded down", () => {
    expect(formatAge(0)).toBe("0s");
    expect(formatAge(12)).toBe("12s");
    expect(formatAge(4 * 60 + 59)).toBe("4m");
    expect(formatAge(2 * 3600 + 1799)).toBe("2h");
    expect(formatAge(3 * 86_400 + 5)).toBe("3d");
  });

  it("is a dash when unknown", () => {
    expect(formatAge(null)).toBe("—");
  });
});

describe("notes on unknown ages", () => {
  it("name each reason once with its queues, and nothing for known ages", () => {
    expect(unknownAgeNotes([
      { queue: "herald-1", oldestAgeSeconds: null, oldestAgeFrom: "no-pipeline-reporting" },
      { queue: "herald-1-dlq", oldestAgeSeconds: 0, oldestAgeFrom: "empty" },
      { queue: "herald-2", oldestAgeSeconds: null, oldestAgeFrom: "no-pipeline-reporting" },
      { queue: "herald-2-dlq", oldestAgeSeconds: 40, oldestAgeFrom: "sample" },
    ])).toEqual([{ reason: expect.stringContaining("no pipeline reporting"), queues: ["herald-1", "herald-2"] }]);
  });
});

function queue(overrides: Partial<QueueOverview>): QueueOverview {
  return {
    channel: null, queue: "herald-1", depth: 3, inFlight: 1, delayed: 0, oldestAgeSeconds: 754,
    oldestAgeFrom: "pipeline",
    deadLetter: { queue: "herald-1-dlq", depth: 2, oldestAgeSeconds: 7300, oldestAgeFrom: "sample" },
    ...overrides,
  };
}

describe("the dashboard's queue table", () => {
  it("shows each queue's and dead-letter queue's oldest age", () => {
    const html = renderToStaticMarkup(createElement(Queues, { queues: [queue({})] }));

    expect(html).toContain('<td class="num" data-age-from="pipeline">12m</td>');
    expect(html).toContain('<td class="num" data-age-from="sample">2h</td>');
    expect(html).not.toContain("age-note");
  });

  it("shows an unknown age as a dash and says why under the table", () => {
    const html = renderToStaticMarkup(createElement(Queues, {
      queues: [queue({ oldestAgeSeconds: null, oldestAgeFrom: "no-pipeline-reporting" })],
    }));

    expect(html).toMatch(/<td class="num" title="no pipeline reporting[^"]*" data-age-from="no-pipeline-reporting">—<\/td>/);
    expect(html).toMatch(/<p class="hint age-note">— herald-1: no pipeline reporting/);
  });
});
