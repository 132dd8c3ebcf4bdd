import { describe, expect, it } from "vitest";
import cases from "./validation-cases.json";
import served from "./channels.json";
import { emailProblem, parseReceivers, toRequest, validate, type Channels, type NotificationForm } from "./validation";

// What GET /v1/channels answers (the API's ChannelsContractTest keeps this copy equal to it).
const channels = served as Channels;

function form(body: Partial<Record<string, string>>): NotificationForm {
  const expand = (v: string | undefined) => (v === "NAME257" ? "n".repeat(257) : v ?? "");
  return { to: expand(body.to), from: expand(body.from), fromName: expand(body.fromName), title: expand(body.title), text: expand(body.text), category: expand(body.category) };
}

describe("the page refuses exactly what the server refuses", () => {
  for (const c of cases.cases) {
    it(c.name, () => {
      const errors = validate(form(c.body as Partial<Record<string, string>>), channels);
      expect(Object.keys(errors).filter((k) => errors[k as keyof typeof errors]).sort()).toEqual([...c.errors].sort());
    });
  }
});

describe("messages", () => {
  it("a category is checked as the server checks it, and a blank one is left out", () => {
    const base = { to: "telegram:1", text: "x" };
    expect(validate(form({ ...base, category: "slurm:hpc-1" }), channels).category).toBeUndefined();
    expect(validate(form({ ...base, category: "c".repeat(65) }), channels).category).toBe("Category is 65 characters long; at most 64");
    expect(validate(form({ ...base, category: "news letter" }), channels).category).toMatch(/^Category may contain only letters, digits and \. _ : -/);
    expect(toRequest(form({ ...base, category: "  " }))).not.toHaveProperty("category");
    expect(toRequest(form({ ...base, category: "newsletter" }))).toHaveProperty("category", "newsletter");
  });

  it("a missing from is asked for only when there is an email receiver", () => {
    expect(validate(form({ to: "a@example.org", text: "x" }), channels).from).toBe("From is required for email receivers");
    expect(validate(form({ to: "telegram:1", text: "x" }), channels).from).toBeUndefined();
  });

  it("an address problem is phrased as the server phrases it", () => {
    expect(validate(form({ to: "telegram:1", from: "nobody", text: "x" }), channels).from).toBe("From is not a valid email: it has no '@'");
  });

  it("a list with nothing deliverable names every refused item", () => {
    expect(validate(form({ to: "fax:1,,", text: "x" }), channels).to).toBe(
      "No receiver can be delivered to: item 1 'fax:1': unknown scheme 'fax' (known: discord, mailto, matrix, mattermost, msteams, ntfy, slack, telegram); item 2 '': empty item; item 3 '': empty item",
    );
  });

  it("more than fifty receivers are too many", () => {
    const to = Array.from({ length: 51 }, (_, i) => `telegram:${i + 1}`).join(",");
    expect(validate(form({ to, text: "x" }), channels).to).toBe("To has 51 receivers; at most 50 per request");
  });
});

describe("receiver syntax", () => {
  it("splits on commas, then on the first colon only", () => {
    const { receivers, problems } = parseReceivers("mailto:a@example.org, matrix:!r:example.org:8448 ,carol@example.org", channels);
    expect(receivers.map((r) => `${r.channel}:${r.target}`)).toEqual([
      "email:a@example.org",
      "matrix:!r:example.org:8448",
      "email:carol@example.org",
    ]);
    expect(problems).toEqual([]);
  });

  it("reports refused items with their 1-based position", () => {
    expect(parseReceivers("telegram:1, nope:2", channels).problems).toEqual([
      { position: 2, item: " nope:2", reason: expect.stringContaining("unknown scheme 'nope'") },
    ]);
  });

  it("drops duplicates", () => {
    expect(parseReceivers("telegram:1,telegram:1", channels).receivers).toHaveLength(1);
  });
});

describe("addresses", () => {
  it("accepts internationalised domains and unicode local parts", () => {
    expect(emailProblem("jürgen@bücher.example")).toBeNull();
  });

  it("refuses a misplaced dot", () => {
    expect(emailProblem(".a@example.org")).toBe("has a misplaced '.' before the '@'");
  });
});

describe("the request", () => {
  it("leaves out empty optional fields", () => {
    expect(toRequest(form({ to: "telegram:1", text: "x" }))).toEqual({ to: "telegram:1", text: "x" });
  });
});

describe("without the server's channels", () => {
  it("leaves receivers to the server and checks only the form", () => {
    expect(validate(form({ to: "fax:1", text: "x" }), null)).toEqual({});
    expect(validate(form({ to: "", text: "" }), null)).toEqual({ to: "To is required", text: "Text is required" });
  });
});
