// The /#/me page's model: the preferences document the API shows and takes (PreferencesCodec's one
// JSON shape) turned into a form and back, and the API's field errors (by path, e.g.
// "receivers.phone", "events.END.receivers[0]", "quietHours.timeZone") placed at the form's fields.

export const EVENT_KINDS = [
  "BEGIN", "END", "FAIL", "REQUEUE", "TIME_LIMIT_50", "TIME_LIMIT_80", "TIME_LIMIT_90", "TIME_LIMIT",
  "ARRAY_SUMMARY", "INVALID_DEPEND", "STAGE_OUT",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const KIND_LABELS: Record<EventKind, string> = {
  BEGIN: "Job began", END: "Job ended", FAIL: "Job failed", REQUEUE: "Job requeued",
  TIME_LIMIT_50: "50 % of time limit", TIME_LIMIT_80: "80 % of time limit", TIME_LIMIT_90: "90 % of time limit",
  TIME_LIMIT: "Time limit reached", ARRAY_SUMMARY: "Job array done", INVALID_DEPEND: "Dependency never satisfied",
  STAGE_OUT: "Stage-out done",
};

export type Digest = "immediate" | "hourly" | "daily";

export interface ReceiverRow { name: string; receiver: string }

export interface EventRow {
  /** true: every receiver (no rule written); false: only those in `receivers` */
  all: boolean;
  receivers: string[];
  digest: Digest;
}

export interface PrefsForm {
  receivers: ReceiverRow[];
  events: Record<EventKind, EventRow>;
  quiet: boolean;
  quietFrom: string;
  quietTo: string;
  timeZone: string;
  breakThrough: EventKind[];
  mutedClusters: string;
  mutedPartitions: string;
}

/** Where an error from the API is shown: one receiver row, one event row, a quiet-hours or mute field, or the form. */
export type ErrorPlace =
  | { at: "receiver"; index: number }
  | { at: "receivers" }
  | { at: "event"; kind: EventKind }
  | { at: "quietFrom" | "quietTo" | "timeZone" | "breakThrough" | "quiet" }
  | { at: "mutedClusters" | "mutedPartitions" }
  | { at: "form" };

function defaultEvents(): Record<EventKind, EventRow> {
  const rows = {} as Record<EventKind, EventRow>;
  for (const k of EVENT_KINDS) rows[k] = { all: true, receivers: [], digest: "immediate" };
  return rows;
}

export function emptyForm(timeZone: string): PrefsForm {
  return {
    receivers: [{ name: "work", receiver: "" }],
    events: defaultEvents(),
    quiet: false,
    quietFrom: "22:00",
    quietTo: "07:00",
    timeZone,
    breakThrough: ["FAIL"],
    mutedClusters: "",
    mutedPartitions: "",
  };
}

interface Document {
  receivers?: Record<string, string>;
  events?: Record<string, { receivers?: string[]; digest?: string }>;
  quietHours?: { from: string; to: string; timeZone: string; breakThrough?: string[] };
  mute?: { clusters?: string[]; partitions?: string[] };
}

function isKind(k: string): k is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(k);
}

/** The form for what GET /v1/me/preferences showed. */
export function fromDocument(doc: Document, timeZone: string): PrefsForm {
  const form = emptyForm(timeZone);
  const receivers = Object.entries(doc.receivers ?? {}).map(([name, receiver]) => ({ name, receiver }));
  form.receivers = receivers.length ? receivers : form.receivers;
  for (const [kind, rule] of Object.entries(doc.events ?? {})) {
    if (!isKind(kind)) continue;
    const digest = (["hourly", "daily"].includes(rule.digest ?? "") ? rule.digest : "immediate") as Digest;
    form.events[kind] = { all: rule.receivers === undefined, receivers: rule.receivers ?? [], digest };
  }
  if (doc.quietHours) {
    form.quiet = true;
    form.quietFrom = doc.quietHours.from;
    form.quietTo = doc.quietHours.to;
    form.timeZone = doc.quietHours.timeZone;
    form.breakThrough = (doc.quietHours.breakThrough ?? []).filter(isKind);
  }
  form.mutedClusters = (doc.mute?.clusters ?? []).join(", ");
  form.mutedPartitions = (doc.mute?.partitions ?? []).join(", ");
  return form;
}

function list(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

/** The document PUT /v1/me/preferences takes; an event row left at "every receiver, at once" writes no rule. */
export function toDocument(form: PrefsForm): Document {
  const doc: Document = { receivers: {}, events: {} };
  for (const r of form.receivers) doc.receivers![r.name.trim()] = r.receiver.trim();
  for (const kind of EVENT_KINDS) {
    const row = form.events[kind];
    if (row.all && row.digest === "immediate") continue;
    doc.events![kind] = row.all ? { digest: row.digest } : { receivers: row.receivers, digest: row.digest };
  }
  if (form.quiet) {
    doc.quietHours = { from: form.quietFrom, to: form.quietTo, timeZone: form.timeZone.trim(),
      breakThrough: form.breakThrough };
  }
  doc.mute = { clusters: list(form.mutedClusters), partitions: list(form.mutedPartitions) };
  return doc;
}

/** Where the API's error for `path` belongs in this form. */
export function placeOf(path: string, form: PrefsForm): ErrorPlace {
  const [head, second, third] = path.split(".");
  if (head === "receivers") {
    if (second === undefined) return { at: "receivers" };
    const index = form.receivers.findIndex((r) => r.name.trim() === second);
    return index >= 0 ? { at: "receiver", index } : { at: "receivers" };
  }
  if (head === "events") {
    const kind = second?.replace(/\[.*$/, "");
    return kind && isKind(kind) ? { at: "event", kind } : { at: "form" };
  }
  if (head === "quietHours") {
    const field = (second ?? "").replace(/\[.*$/, "");
    if (field === "from") return { at: "quietFrom" };
    if (field === "to") return { at: "quietTo" };
    if (field === "timeZone") return { at: "timeZone" };
    if (field === "breakThrough") return { at: "breakThrough" };
    return { at: "quiet" };
  }
  if (head === "mute") {
    return (second ?? "").startsWith("clusters") ? { at: "mutedClusters" } : { at: "mutedPartitions" };
  }
  void third;
  return { at: "form" };
}

/** The errors of an answer, keyed by where they are shown ("receiver:0", "event:END", "timeZone", "form"). */
export function placeErrors(errors: Record<string, string>, form: PrefsForm): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const place = placeOf(path, form);
    const key = place.at === "receiver" ? `receiver:${place.index}` : place.at === "event" ? `event:${place.kind}`
      : place.at;
    const text = place.at === "form" && path !== "base" ? `${path}: ${message}` : message;
    out[key] = out[key] ? `${out[key]} ${text}` : text;
  }
  return out;
}

/** The user a link names (its second part): not secret, and lets the page offer a new link to the same user. */
export function userOfLink(token: string): string | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const padded = part.replace(/-/g, "+").replace(/_/g, "/");
    return new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}
