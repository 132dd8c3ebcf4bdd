import { describe, expect, it } from "vitest";
import { emptyForm, fromDocument, placeErrors, toDocument, userOfLink } from "./preferences";

const SAVED = {
  user: "alice",
  receivers: { work: "mailto:alice@uni.org", phone: "telegram:123456" },
  events: {
    FAIL: { receivers: ["work", "phone"], digest: "immediate" },
    END: { receivers: ["work"], digest: "hourly" },
  },
  quietHours: { from: "22:00", to: "07:00", timeZone: "Europe/Berlin", breakThrough: ["FAIL"] },
  mute: { clusters: [], partitions: ["debug"] },
};

describe("the preferences form", () => {
  it("turns what the API shows into a form and back into the same choices", () => {
    const doc = toDocument(fromDocument(SAVED, "UTC"));
    expect(doc.receivers).toEqual(SAVED.receivers);
    expect(doc.events).toEqual(SAVED.events);
    expect(doc.quietHours).toEqual(SAVED.quietHours);
    expect(doc.mute).toEqual({ clusters: [], partitions: ["debug"] });
  });

  it("writes no rule for a kind left at every receiver, at once", () => {
    const form = emptyForm("UTC");
    form.receivers = [{ name: "work", receiver: "mailto:a@b.org" }];
    form.events.BEGIN = { all: false, receivers: [], digest: "immediate" };
    expect(toDocument(form).events).toEqual({ BEGIN: { receivers: [], digest: "immediate" } });
    expect(toDocument(form).quietHours).toBeUndefined();
  });

  it("places the API's errors at their fields", () => {
    const form = fromDocument(SAVED, "UTC");
    expect(placeErrors({
      "receivers.phone": "channel slack has no provider",
      "events.END.receivers[0]": "'x' is none of the receivers",
      "quietHours.timeZone": "'Mars' is not a time zone",
      "mute.partitions[0]": "too long",
      base: "whole",
    }, form)).toEqual({
      "receiver:1": "channel slack has no provider",
      "event:END": "'x' is none of the receivers",
      timeZone: "'Mars' is not a time zone",
      mutedPartitions: "too long",
      form: "whole",
    });
  });

  it("reads the user a link names", () => {
    expect(userOfLink("l.YWxpY2U.1.n.s")).toBe("alice");
    expect(userOfLink("garbage")).toBeNull();
  });
});
