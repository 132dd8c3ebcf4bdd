// The server's rules for POST /v1/notifications, checked before sending so mistakes show at once.
// They mirror api/NotificationRequest.java and core/EmailAddresses.java and ReceiverParser.java;
// the receiver schemes and their target rules come from the server itself (GET /v1/channels), so a
// provider added there needs nothing here. src/validation-cases.json is checked against both this
// file (vitest, with src/channels.json, which the API's tests compare with its own answer) and the
// running API (JUnit), so the two cannot drift apart unnoticed. The server stays the authority:
// its 422 is shown too.

export type Field = "to" | "from" | "fromName" | "title" | "text" | "category";
export type FieldErrors = Partial<Record<Field, string>>;

export interface NotificationForm {
  to: string;
  from: string;
  fromName: string;
  title: string;
  text: string;
  /** What a receiver unsubscribes from; blank: the server's default category. */
  category: string;
}

export interface Receiver {
  scheme: string;
  channel: string;
  target: string;
}

export interface ReceiverProblem {
  position: number;
  item: string;
  reason: string;
}

export const MAX_RECEIVERS = 50;
export const MAX_NAME_CHARS = 256;
export const MAX_TITLE_CHARS = 998;
/** core/unsubscribe/Categories.java: letters, digits and . _ : -, starting with a letter or digit, at most 64. */
export const MAX_CATEGORY_CHARS = 64;
const CATEGORY = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** GET /v1/channels: the channels, their providers, and the receiver schemes with their target rules. */
export interface Channels {
  defaultScheme: string;
  channels: { channel: string; providers: string[] }[];
  schemes: { scheme: string; channel: string; target: { kind: string; pattern?: string; problem?: string } }[];
}

const ATEXT_SPECIALS = "!#$%&'*+/=?^_`{|}~-";
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

type Rule = (target: string) => string | null;
type Schemes = Record<string, { channel: string; rule: Rule }>;

const anyTarget: Rule = (t) =>
  /[\s\p{Cc}]/u.test(t) ? "contains whitespace or control characters" : null;

/** Each scheme's rule as a function; a rule kind this page does not know is left to the server. */
export function schemesOf(channels: Channels): Schemes {
  const schemes: Schemes = {};
  for (const { scheme, channel, target } of channels.schemes) {
    let rule: Rule = () => null;
    if (target.kind === "email") rule = (t) => emailProblem(t);
    else if (target.kind === "any") rule = anyTarget;
    else if (target.kind === "pattern" && target.pattern) {
      const whole = new RegExp("^(?:" + target.pattern + ")$");
      const problem = target.problem ?? "is not valid";
      rule = (t) => (whole.test(t) ? null : problem);
    }
    schemes[scheme] = { channel, rule };
  }
  return schemes;
}

/** The domain's ASCII (punycode) form, as the browser's URL parser computes it; null if it has none. */
function asciiDomain(domain: string): string | null {
  try {
    return new URL("http://" + domain + "/").hostname;
  } catch {
    return null;
  }
}

/** Empty when the address is deliverable syntax, else what is wrong, phrased as the server phrases it. */
export function emailProblem(address: string): string | null {
  if (address.length === 0) return "is empty";
  if (/[\s\p{Cc}]/u.test(address)) return "contains whitespace or control characters";
  if (address.length > 254) return "is longer than 254 characters";
  const at = address.lastIndexOf("@");
  if (at < 0) return "has no '@'";
  if (address.indexOf("@") !== at) {
    return "has more than one '@' (one address per receiver; separate receivers with ',')";
  }
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length === 0) return "has nothing before the '@'";
  if (local.length > 64) return "has more than 64 characters before the '@'";
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return "has a misplaced '.' before the '@'";
  }
  for (const c of local) {
    const ascii = c.codePointAt(0)! < 0x80;
    const ok = ascii ? /[A-Za-z0-9.]/.test(c) || ATEXT_SPECIALS.includes(c) : /[\p{L}\p{N}]/u.test(c);
    if (!ok) return `has the character '${c}' before the '@'`;
  }
  if (domain.length === 0) return "has no domain after the '@'";
  if (domain.split(".").some((label) => label.length === 0)) {
    return `has an empty label in its domain '${domain}'`;
  }
  const ascii = asciiDomain(domain);
  if (ascii === null || ascii.split(".").some((label) => label.length > 63 || !LABEL.test(label))) {
    return `has an invalid domain '${domain}'`;
  }
  if (ascii.length > 253) return "has a domain longer than 253 characters";
  const labels = ascii.split(".");
  if (labels.length < 2) return `has a domain without a '.' ('${domain}')`;
  const tld = labels[labels.length - 1];
  if (/^[0-9]+$/.test(tld)) return `has a numeric top-level domain '${tld}'`;
  return null;
}

/** goslmailer's receiver syntax: split on ',', then on the first ':'; a bare item has the default scheme. */
export function parseReceivers(text: string, channels: Channels) {
  const SCHEMES = schemesOf(channels);
  const defaultScheme = channels.defaultScheme;
  const receivers: Receiver[] = [];
  const problems: ReceiverProblem[] = [];
  if (text.trim().length === 0) {
    problems.push({ position: 1, item: text, reason: "no receiver given" });
    return { receivers, problems };
  }
  text.split(",").forEach((raw, i) => {
    const item = raw.trim();
    const refuse = (reason: string) => problems.push({ position: i + 1, item: raw, reason });
    if (item.length === 0) return refuse("empty item");
    const colon = item.indexOf(":");
    const scheme = colon < 0 ? defaultScheme : item.slice(0, colon).trim().toLowerCase();
    const target = colon < 0 ? item : item.slice(colon + 1).trim();
    if (scheme.length === 0) return refuse("no scheme before ':'");
    const known = SCHEMES[scheme];
    if (!known) {
      return refuse(`unknown scheme '${scheme}' (known: ${Object.keys(SCHEMES).sort().join(", ")})`);
    }
    if (target.length === 0 || /^:+$/.test(target)) return refuse(`no target after '${scheme}:'`);
    const problem = known.rule(target);
    if (problem) {
      return refuse(`${scheme} target '${target}' ${problem.startsWith("not ") ? "is " + problem : problem}`);
    }
    const receiver = { scheme, channel: known.channel, target };
    if (!receivers.some((r) => r.scheme === scheme && r.target === target)) receivers.push(receiver);
  });
  return { receivers, problems };
}

function headerProblem(label: string, value: string, maxChars: number): string | null {
  if (/[\r\n]/.test(value)) return `${label} must not contain line breaks`;
  if (/[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/.test(value)) return `${label} must not contain control characters`;
  if ([...value].length > maxChars) return `${label} is longer than ${maxChars} characters`;
  return null;
}

/** A name must not pass for an address (server: FieldReader.displayName). */
function displayNameProblem(label: string, value: string): string | null {
  const header = headerProblem(label, value, MAX_NAME_CHARS);
  if (header) return header;
  if (/[@<>\uFF20\uFE6B\uFF1C\uFF1E\uFE64\uFE65]/.test(value)) {
    return `${label} must not contain '@', '<' or '>': it is a name, not an address`;
  }
  if (/[\t\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(value)) {
    return `${label} must not contain tabs or text-direction controls`;
  }
  return null;
}

/** Null when the category may be sent, else what is wrong, in the server's words (Categories.problem). */
export function categoryProblem(category: string): string | null {
  // The server counts UTF-16 units (String.length), as .length does.
  if (category.length > MAX_CATEGORY_CHARS) {
    return `Category is ${category.length} characters long; at most ${MAX_CATEGORY_CHARS}`;
  }
  if (!CATEGORY.test(category)) {
    return 'Category may contain only letters, digits and . _ : - (starting with a letter or digit), e.g. "newsletter" or "transactional"';
  }
  return null;
}

/**
 * Every problem with the form, keyed by field, in the server's words. Without the server's channels
 * (GET /v1/channels failed) receivers are left to the server: only the form's shape is checked.
 */
export function validate(form: NotificationForm, channels: Channels | null): FieldErrors {
  const errors: FieldErrors = {};
  const { receivers, problems } = channels
    ? parseReceivers(form.to, channels)
    : { receivers: [{ scheme: "", channel: "", target: form.to }], problems: [] };
  // The server counts items before parsing any (so a list of commas costs nothing): so does the page.
  const items = form.to.split(",").length;
  if (form.to.trim().length === 0) {
    errors.to = "To is required";
  } else if (items > MAX_RECEIVERS) {
    errors.to = `To has ${items} receivers; at most ${MAX_RECEIVERS} per request`;
  } else if (receivers.length === 0) {
    errors.to =
      "No receiver can be delivered to: " +
      problems.map((p) => `item ${p.position} '${p.item}': ${p.reason}`).join("; ");
  } else if (receivers.length > MAX_RECEIVERS) {
    errors.to = `To has ${receivers.length} receivers; at most ${MAX_RECEIVERS} per request`;
  }
  // A blank from is a missing from, as on the server: email never goes out as a provider default sender.
  if (form.from.trim().length > 0) {
    const problem = emailProblem(form.from);
    if (problem) errors.from = `From is not a valid email: it ${problem}`;
  } else if (receivers.some((r) => r.channel === "email")) {
    // "email" is the one channel whose receivers need a sender address: the server's rule too.
    errors.from = "From is required for email receivers";
  }
  const name = form.fromName.length > 0 ? displayNameProblem("From name", form.fromName) : null;
  if (name) errors.fromName = name;
  const title = form.title.length > 0 ? headerProblem("Title", form.title, MAX_TITLE_CHARS) : null;
  if (title) errors.title = title;
  if (form.text.trim().length === 0) errors.text = "Text is required";
  // Blank is absent on the server too (the default category); anything else is checked as typed, spaces included.
  const category = form.category.trim().length > 0 ? categoryProblem(form.category) : null;
  if (category) errors.category = category;
  return errors;
}

/** The request body: empty optional fields are left out, as the server treats them alike. */
export function toRequest(form: NotificationForm): Record<string, string> {
  const body: Record<string, string> = { to: form.to, text: form.text };
  if (form.from) body.from = form.from;
  if (form.fromName) body.fromName = form.fromName;
  if (form.title) body.title = form.title;
  if (form.category.trim()) body.category = form.category;
  return body;
}
