import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { fetchChannels, fetchStatus, sendNotification, type Queued, type Refused, type Status } from "./api";
import { toRequest, validate, type Channels, type Field, type FieldErrors, type NotificationForm } from "./validation";

const EMPTY: NotificationForm = { to: "", from: "", fromName: "", title: "", text: "", category: "" };
const FIELD_ORDER: Field[] = ["to", "from", "fromName", "title", "text", "category"];
/** Server error keys that belong to a field of this form; "subject" is the server's other name for the title. */
const SERVER_FIELDS: Record<string, Field> = { to: "to", from: "from", fromName: "fromName", title: "title", subject: "title", text: "text", category: "category" };

type Outcome =
  | { kind: "none" }
  | {
      kind: "accepted";
      notifications: Queued[];
      refused: Refused[];
      refusedMore: number;
      failed: { receiver: string; reason: string }[];
    }
  | { kind: "message"; tone: "error" | "warning"; text: string };

function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function App() {
  const [form, setForm] = useState<NotificationForm>(EMPTY);
  const [apiKey, setApiKey] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refused[]>([]);
  const [refusedMore, setRefusedMore] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>({ kind: "none" });
  const [sending, setSending] = useState(false);
  const [askForKey, setAskForKey] = useState(false);
  // Reused while the same content is sent again after a failure, so a retry can never send twice.
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | HTMLTextAreaElement | null>>>({});
  const keyInput = useRef<HTMLInputElement | null>(null);
  // The receiver schemes come from the server, so a provider added there is known here too.
  const [channels, setChannels] = useState<Channels | null>(null);
  useEffect(() => {
    let live = true;
    fetchChannels().then((found) => live && setChannels(found));
    return () => {
      live = false;
    };
  }, []);

  const update = (field: Field) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    // An error disappears as soon as the field is edited; it comes back on the next send if still true.
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const focusFirst = (found: FieldErrors) => {
    const first = FIELD_ORDER.find((f) => found[f]);
    if (first) inputs.current[first]?.focus();
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validate(form, channels);
    setRefused([]);
    setRefusedMore(0);
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      setOutcome({ kind: "none" });
      focusFirst(found);
      return;
    }
    setErrors({});
    const body = toRequest(form);
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newKey() };
    setSending(true);
    setOutcome({ kind: "none" });
    const result = await sendNotification(body, apiKey, attempt.current.key);
    setSending(false);
    switch (result.kind) {
      case "accepted":
        attempt.current = null;
        setOutcome(result);
        break;
      case "invalid": {
        const fieldErrors: FieldErrors = {};
        const other: string[] = [];
        for (const [key, message] of Object.entries(result.errors)) {
          const field = SERVER_FIELDS[key];
          if (field) fieldErrors[field] = message;
          else other.push(key === "base" ? message : `${key}: ${message}`);
        }
        setErrors(fieldErrors);
        setRefused(result.refused);
        setRefusedMore(result.refusedMore);
        setOutcome(other.length ? { kind: "message", tone: "error", text: other.join(" ") } : { kind: "none" });
        focusFirst(fieldErrors);
        break;
      }
      case "unavailable":
        setOutcome({
          kind: "message",
          tone: "error",
          text:
            "Service unavailable: the queue did not accept the notification, so nothing was sent. " +
            (result.retryAfter ? `Try again in ${result.retryAfter} seconds.` : "Try again shortly."),
        });
        break;
      case "unauthorized":
        setAskForKey(true);
        setOutcome({ kind: "message", tone: "error", text: `${result.message} Enter an API key below and send again.` });
        setTimeout(() => keyInput.current?.focus(), 0);
        break;
      case "limited":
        setOutcome({
          kind: "message",
          tone: "warning",
          text: result.message,
        });
        break;
      case "failed":
        setOutcome({ kind: "message", tone: "error", text: result.message });
        break;
    }
  }

  const errorCount = Object.values(errors).filter(Boolean).length;

  return (
    <main>
      <header>
        <h1>Herald</h1>
        <p className="lead">Send a notification{channels ? ` on ${channels.channels.map((c) => c.channel).join(", ")}` : ""} and watch it being delivered.</p>
      </header>

      <form onSubmit={submit} noValidate aria-describedby={errorCount ? "form-errors" : undefined}>
        {errorCount > 0 && (
          <p id="form-errors" className="summary" role="alert">
            {errorCount === 1 ? "One field needs attention." : `${errorCount} fields need attention.`}
          </p>
        )}
        <TextField
          field="to" label="To" required value={form.to} onChange={update("to")} error={errors.to}
          hint={`Receivers separated by commas, each as scheme:target${channels ? ` (${channels.schemes.map((s) => s.scheme).join(", ")})` : ""}, e.g. mailto:ana@example.org. A bare address is email.`}
          inputRef={(el) => (inputs.current.to = el)} autoComplete="off"
        />
        {refused.length > 0 && <RefusedList refused={refused} more={refusedMore} />}
        <TextField
          field="from" label="From" type="email" value={form.from} onChange={update("from")} error={errors.from}
          hint="Your address; needed when sending email." inputRef={(el) => (inputs.current.from = el)} autoComplete="email"
        />
        <TextField
          field="fromName" label="From name" value={form.fromName} onChange={update("fromName")} error={errors.fromName}
          inputRef={(el) => (inputs.current.fromName = el)} autoComplete="name"
        />
        <TextField
          field="title" label="Subject" value={form.title} onChange={update("title")} error={errors.title}
          inputRef={(el) => (inputs.current.title = el)} autoComplete="off"
        />
        <TextField
          field="text" label="Message" required multiline value={form.text} onChange={update("text")} error={errors.text}
          inputRef={(el) => (inputs.current.text = el)}
        />
        <TextField
          field="category" label="Category" value={form.category} onChange={update("category")} error={errors.category}
          hint={'Optional. What a receiver can unsubscribe from: letters, digits and . _ : - (at most 64), e.g. newsletter; "transactional" mail gets no unsubscribe link. Empty: the default category.'}
          inputRef={(el) => (inputs.current.category = el)} autoComplete="off"
        />
        <details open={askForKey} onToggle={(e) => setAskForKey((e.target as HTMLDetailsElement).open)}>
          <summary>API key</summary>
          <label htmlFor="apiKey">API key</label>
          <p className="hint" id="apiKey-hint">Not needed when the server runs open (as <code>./herald local</code> does). Kept in this page only.</p>
          <input
            id="apiKey" type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)}
            aria-describedby="apiKey-hint" autoComplete="off" ref={keyInput}
          />
        </details>
        <button type="submit" disabled={sending}>{sending ? "Sending…" : "Send"}</button>
      </form>

      <Lookup apiKey={apiKey} />

      <section aria-live="polite" aria-label="Result">
        {outcome.kind === "message" && (
          <p className={`notice ${outcome.tone}`} role="alert">{outcome.text}</p>
        )}
        {outcome.kind === "accepted" && (
          <Accepted
            notifications={outcome.notifications} refused={outcome.refused} refusedMore={outcome.refusedMore}
            failed={outcome.failed} apiKey={apiKey}
          />
        )}
      </section>
    </main>
  );
}

interface TextFieldProps {
  field: Field;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  type?: string;
  autoComplete?: string;
  inputRef: (el: HTMLInputElement | HTMLTextAreaElement | null) => void;
}

function TextField(props: TextFieldProps) {
  const { field, label, value, onChange, error, hint, required, multiline, type, autoComplete, inputRef } = props;
  const described = [hint ? `${field}-hint` : null, error ? `${field}-error` : null].filter(Boolean).join(" ") || undefined;
  const common = {
    id: field,
    name: field,
    value,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": described,
    "aria-required": required || undefined,
    autoComplete,
  };
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={field}>
        {label}
        {required && <span className="required" aria-hidden="true"> *</span>}
      </label>
      {hint && <p className="hint" id={`${field}-hint`}>{hint}</p>}
      {multiline ? (
        <textarea {...common} rows={6} onChange={(e) => onChange(e.target.value)} ref={inputRef} />
      ) : (
        <input {...common} type={type ?? "text"} onChange={(e) => onChange(e.target.value)} ref={inputRef} />
      )}
      {error && <p className="error" id={`${field}-error`}>{error}</p>}
    </div>
  );
}

/** The server lists the first refusals only and counts the rest in `more`. */
function RefusedList({ refused, more }: { refused: Refused[]; more: number }) {
  return (
    <div className="refused">
      <p>Not sent to:</p>
      <ul>
        {refused.map((r) => (
          <li key={r.position}>
            <code>{r.item.trim() || "(empty)"}</code> (item {r.position}): {r.reason}
          </li>
        ))}
        {more > 0 && <li>and {more} more</li>}
      </ul>
    </div>
  );
}

function Accepted(props: {
  notifications: Queued[];
  refused: Refused[];
  refusedMore: number;
  failed: { receiver: string; reason: string }[];
  apiKey: string;
}) {
  const heading = useId();
  return (
    <div className="accepted">
      <h2 id={heading}>{acceptedHeading(props.notifications.length, props.refused.length + props.failed.length)}</h2>
      <ul aria-labelledby={heading} className="statuses">
        {props.notifications.map((n) => (
          <li key={n.id}>
            <span className="receiver">{n.receiver}</span>
            <StatusLine path={n.status} apiKey={props.apiKey} />
            <span className="id">id <code>{n.id}</code></span>
          </li>
        ))}
      </ul>
      {props.refused.length > 0 && <RefusedList refused={props.refused} more={props.refusedMore} />}
      {props.failed.length > 0 && (
        <div className="refused">
          <p>Not queued:</p>
          <ul>{props.failed.map((f) => <li key={f.receiver}><code>{f.receiver}</code>: {f.reason}</li>)}</ul>
        </div>
      )}
    </div>
  );
}

/** The result's heading: how many were accepted, and how many refused when any were. */
export function acceptedHeading(accepted: number, refused: number): string {
  const sent = accepted === 1 ? "Sent: 1 accepted" : `Sent: ${accepted} accepted`;
  return refused === 0 ? sent : `${sent}, ${refused} refused`;
}

function describe(status: Status): string {
  const time = status.at ? new Date(status.at).toLocaleTimeString() : "";
  switch (status.state) {
    case "queued": return "queued, waiting for delivery";
    case "sending": return `sending${status.provider ? " via " + status.provider : ""}`;
    case "delivered": return `delivered${status.provider ? " via " + status.provider : ""} at ${time}`;
    case "retrying": return `retrying (attempt ${status.attempts ?? "?"})${status.lastError ? ": " + status.lastError : ""}`;
    case "rejected": return `rejected: ${status.reason ?? "no reason given"}`;
    case "dead-lettered": return `dead-lettered: ${status.reason ?? "no reason given"}`;
    default: return status.state;
  }
}

/** Polls a notification's status until it is final: every second, then every 5 s after a minute. */
function StatusLine({ path, apiKey }: { path: string; apiKey: string }) {
  const [status, setStatus] = useState<Status | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    const poll = async () => {
      const next = await fetchStatus(path, apiKey);
      if (stopped) return;
      if (next) setStatus(next);
      const elapsed = Date.now() - started;
      if (next?.final || elapsed > 30 * 60_000) return;
      timer = setTimeout(poll, elapsed < 60_000 ? 1000 : 5000);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path, apiKey]);
  const state = status?.state ?? "queued";
  return (
    <span className={`state state-${state}`} data-state={state}>
      {status ? describe(status) : "queued, waiting for delivery"}
    </span>
  );
}

/**
 * Finds any message by the id the API answered and follows it: its current status, polled until
 * final, and each state it went through, from the status table's history.
 */
function Lookup({ apiKey }: { apiKey: string }) {
  const [id, setId] = useState("");
  const [looking, setLooking] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const find = (event: FormEvent) => {
    event.preventDefault();
    const wanted = id.trim();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(wanted)) {
      setProblem("Enter a notification id as the API answered it, e.g. 0190a5c4-7b1e-7c3d-9f2a-4b5c6d7e8f90.");
      setLooking(null);
      return;
    }
    setProblem(null);
    setLooking(wanted);
  };
  return (
    <section aria-labelledby="lookup-heading" className="lookup">
      <h2 id="lookup-heading">Find a notification</h2>
      <form onSubmit={find} noValidate>
        <label htmlFor="lookup-id">Notification id</label>
        <input id="lookup-id" value={id} onChange={(e) => setId(e.target.value)} autoComplete="off"
          aria-describedby={problem ? "lookup-problem" : undefined} aria-invalid={problem ? true : undefined} />
        {problem && <p id="lookup-problem" className="error">{problem}</p>}
        <button type="submit">Find</button>
      </form>
      {looking && <Found key={looking} id={looking} apiKey={apiKey} />}
    </section>
  );
}

function Found({ id, apiKey }: { id: string; apiKey: string }) {
  const [status, setStatus] = useState<Status | null | "missing">(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const next = await fetchStatus(`/v1/notifications/${id}`, apiKey);
      if (stopped) return;
      setStatus(next ?? "missing");
      if (next && !next.final) timer = setTimeout(poll, 1000);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, apiKey]);
  if (status === null) return <p>Looking…</p>;
  if (status === "missing") {
    return (
      <p className="notice" role="alert">No notification with id <code>{id}</code> is known (or its record expired).</p>
    );
  }
  const history = status.history && status.history.length > 0 ? status.history : [status];
  return (
    <div className="accepted" data-found={id}>
      <p>
        <span className={`state state-${status.state}`} data-state={status.state}>{describe(status)}</span>
        <span className="id">id <code>{id}</code></span>
      </p>
      <h3 className="history-heading">Status history</h3>
      <ol className="history">
        {history.map((h, i) => (
          <li key={`${h.at}-${i}`} data-history-state={h.state}>
            <time dateTime={h.at}>{new Date(h.at).toLocaleTimeString()}</time> {describe(h as Status)}
          </li>
        ))}
      </ol>
    </div>
  );
}
