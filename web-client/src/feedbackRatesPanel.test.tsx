import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { FeedbackRates } from "./Dashboard";

describe("the dashboard's bounces and complaints panel", () => {
  it("shows each sender domain's counts and rates, and marks a rate above its alert's threshold", () => {
    const html = renderToStaticMarkup(
      <FeedbackRates rates={[
        { senderDomain: "a.example", delivered: 19, hardBounces: 1, softBounces: 0, complaints: 1,
          bounceRate: 1 / 20, complaintRate: 1 / 19 },
        { senderDomain: "b.example", delivered: 0, hardBounces: 0, softBounces: 2, complaints: 0,
          bounceRate: null, complaintRate: null },
      ]} />,
    );
    expect(html).toContain('data-sender-domain="a.example"');
    expect(html).toContain("5.0 %"); // at 5 %, not above: unmarked
    expect(html).toMatch(/data-above-alert="true"[^>]*>5\.3 %/); // complaints far above 0.1 %
    expect(html.match(/data-above-alert/g)).toHaveLength(1);
    expect(html).toMatch(/data-sender-domain="b\.example".*–.*–/);
  });

  it("says when there is no feedback", () => {
    expect(renderToStaticMarkup(<FeedbackRates rates={[]} />)).toContain("No delivery feedback today or yesterday.");
  });
});
