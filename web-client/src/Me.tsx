import { useEffect, useRef, useState, type FormEvent } from "react";
import { askForLink, openSession, readOwn, saveOwn, type Session } from "./meApi";
import {
  EVENT_KINDS, KIND_LABELS, emptyForm, fromDocument, placeErrors, toDocument, userOfLink,
  type Digest, type EventKind, type PrefsForm,
} from "./preferences";

// A Slurm user's own notification settings, reached through the link Herald mailed them
// (#/me?t=TOKEN). The link is traded once for a session kept in this tab only (sessionStorage),
// and taken out of the address bar at once, so it is neither bookmarked nor shown to others.

const STORED = "herald.me.session";

type Stage =
  | { kind: "opening" }
  | { kind: "ask"; user: string; problem?: string; sent?: string }
  | { kind: "loading"; session: Session }
  | { kind: "editing"; session: Session };

function storedSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORED) ?? "null") as Session | null;
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function tokenOf(hash: string): string | null {
  const query = hash.split("?")[1];
  return query ? new URLSearchParams(query).get("t") : null;
}

export function Me() {
  const [stage, setStage] = useState<Stage>({ kind: "opening" });
  const [form, setForm] = useState<PrefsForm>(emptyForm(browserZone()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const started = useRef(false);

  const expired = (user: string, message: string) => {
    sessionStorage.removeItem(STORED);
    setStage({ kind: "ask", user, problem: message });
  };

  async function load(session: Session) {
    setStage({ kind: "loading", session });
    const answer = await readOwn(session.session);
    switch (answer.kind) {
      case "ok":
        setForm(fromDocument(answer.value, browserZone()));
        setStage({ kind: "editing", session });
        break;
      case "none":
        setForm(emptyForm(browserZone()));
        setStage({ kind: "editing", session });
        break;
      case "refused":
        expired(session.user, answer.message);
        break;
      default:
        setStage({ kind: "editing", session });
        setNotice({ tone: "error", text: answer.kind === "failed" ? answer.message : "Could not read your settings." });
    }
  }

  useEffect(() => {
    // On opening, and when a link is opened in this tab while the page is already here (only the #fragment
    // changes, so the page is not loaded again).
    const consider = () => {
      const token = tokenOf(window.location.hash);
      if (!token) {
        if (started.current) return;
        started.current = true;
        const session = storedSession();
        if (session) void load(session);
        else setStage({ kind: "ask", user: "" });
        return;
      }
      started.current = true;
      // Out of the address bar and the history before anything else: the link works once anyway.
      history.replaceState(null, "", window.location.pathname + "#/me");
      setStage({ kind: "opening" });
      setNotice(null);
      setErrors({});
      openSession(token).then((answer) => {
        if (answer.kind === "ok") {
          sessionStorage.setItem(STORED, JSON.stringify(answer.value));
          void load(answer.value);
        } else {
          sessionStorage.removeItem(STORED);
          const message = answer.kind === "refused" ? answer.message
            : answer.kind === "invalid" ? Object.values(answer.errors).join(" ")
            : answer.kind === "failed" ? answer.message : "This link cannot be used.";
          setStage({ kind: "ask", user: userOfLink(token) ?? "", problem: message });
        }
      });
    };
    consider();
    window.addEventListener("hashchange", consider);
    return () => window.removeEventListener("hashchange", consider);
  }, []);

  if (stage.kind === "opening" || stage.kind === "loading") {
    return <main><h1>Your notification settings</h1><p role="status">Opening your settings…</p></main>;
  }
  if (stage.kind === "ask") {
    // Keyed by what it shows, so a new problem or a sent link starts it over with that user name.
    return <AskForLink key={`${stage.user}|${stage.problem ?? ""}|${stage.sent ?? ""}`} stage={stage}
      onStage={setStage} />;
  }

  const session = stage.session;
  const update = (change: (f: PrefsForm) => PrefsForm) => setForm((f) => change(structuredClone(f)));

  async function save(event: FormEvent) {
    event.preventDefault();
    setNotice(null);
    const answer = await saveOwn(session.session, toDocument(form));
    switch (answer.kind) {
      case "ok":
        setErrors({});
        setForm(fromDocument(answer.value, browserZone()));
        setNotice({ tone: "ok", text: "Saved. Your next Slurm notifications follow these settings." });
        break;
      case "invalid": {
        const placed = placeErrors(answer.errors, form);
        setErrors(placed);
        const count = Object.keys(placed).length;
        setNotice({ tone: "error", text: count === 1 ? "One thing needs attention; nothing was saved."
          : `${count} things need attention; nothing was saved.` });
        break;
      }
      case "refused":
        expired(session.user, answer.message);
        break;
      default:
        setNotice({ tone: "error", text: answer.kind === "failed" ? answer.message : "Not saved." });
    }
  }

  const names = form.receivers.map((r) => r.name.trim()).filter(Boolean);
  return (
    <main>
      <header>
        <h1>Your notification settings</h1>
        <p className="lead">How Herald tells <strong>{session.user}</strong> about Slurm jobs submitted without
          an explicit <code>--mail-user</code>.</p>
      </header>
      <form onSubmit={save} noValidate>
        {errors.form && <p className="notice error" role="alert" id="form-error">{errors.form}</p>}
        <fieldset>
          <legend>Receivers</legend>
          <p className="hint">Where you can be reached, each with a name of your choosing, as scheme:target:
            mailto:you@uni.org, or a chat's scheme and id.</p>
          {errors.receivers && <p className="error" id="receivers-error">{errors.receivers}</p>}
          {form.receivers.map((r, i) => (
            <div className={`field receiver-row${errors[`receiver:${i}`] ? " invalid" : ""}`} key={i}>
              <label htmlFor={`receiver-name-${i}`}>Name of receiver {i + 1}</label>
              <input id={`receiver-name-${i}`} value={r.name} autoComplete="off"
                onChange={(e) => update((f) => { f.receivers[i].name = e.target.value; return f; })} />
              <label htmlFor={`receiver-${i}`}>Receiver {i + 1}</label>
              <input id={`receiver-${i}`} value={r.receiver} autoComplete="off"
                aria-invalid={errors[`receiver:${i}`] ? true : undefined}
                aria-describedby={errors[`receiver:${i}`] ? `receiver-${i}-error` : undefined}
                onChange={(e) => update((f) => { f.receivers[i].receiver = e.target.value; return f; })} />
              {errors[`receiver:${i}`] && <p className="error" id={`receiver-${i}-error`}>{errors[`receiver:${i}`]}</p>}
              {form.receivers.length > 1 && (
                <button type="button" className="secondary"
                  onClick={() => update((f) => { f.receivers.splice(i, 1); return f; })}>
                  Remove receiver {i + 1}
                </button>
              )}
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => update((f) => {
            f.receivers.push({ name: `receiver${f.receivers.length + 1}`, receiver: "" });
            return f;
          })}>Add a receiver</button>
        </fieldset>

        <fieldset>
          <legend>Per kind of event</legend>
          <p className="hint">A kind left at “all receivers, at once” needs no rule.</p>
          {EVENT_KINDS.map((kind) => (
            <EventRule key={kind} kind={kind} form={form} names={names} error={errors[`event:${kind}`]}
              update={update} />
          ))}
        </fieldset>

        <fieldset>
          <legend>Quiet hours</legend>
          <label className="check">
            <input type="checkbox" checked={form.quiet}
              onChange={(e) => update((f) => { f.quiet = e.target.checked; return f; })} /> Hold notifications
            during quiet hours and send them as one digest when they end
          </label>
          {errors.quiet && <p className="error">{errors.quiet}</p>}
          {form.quiet && (
            <>
              <Text id="quietFrom" label="From" type="time" value={form.quietFrom} error={errors.quietFrom}
                onChange={(v) => update((f) => { f.quietFrom = v; return f; })} />
              <Text id="quietTo" label="To" type="time" value={form.quietTo} error={errors.quietTo}
                onChange={(v) => update((f) => { f.quietTo = v; return f; })} />
              <Text id="timeZone" label="Time zone" value={form.timeZone} error={errors.timeZone}
                hint="A name such as Europe/Berlin, America/New_York or UTC."
                onChange={(v) => update((f) => { f.timeZone = v; return f; })} />
              <fieldset className="inline">
                <legend>These reach you at once even in quiet hours</legend>
                {errors.breakThrough && <p className="error">{errors.breakThrough}</p>}
                {EVENT_KINDS.map((kind) => (
                  <label className="check" key={kind}>
                    <input type="checkbox" checked={form.breakThrough.includes(kind)} onChange={(e) => update((f) => {
                      f.breakThrough = e.target.checked ? [...f.breakThrough, kind]
                        : f.breakThrough.filter((k) => k !== kind);
                      return f;
                    })} /> {KIND_LABELS[kind]}
                  </label>
                ))}
              </fieldset>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>Mute</legend>
          <Text id="mutedClusters" label="Clusters you hear nothing from" value={form.mutedClusters}
            hint="Separated by commas." error={errors.mutedClusters}
            onChange={(v) => update((f) => { f.mutedClusters = v; return f; })} />
          <Text id="mutedPartitions" label="Partitions you hear nothing from" value={form.mutedPartitions}
            hint="Separated by commas; cluster/partition for one cluster's only." error={errors.mutedPartitions}
            onChange={(v) => update((f) => { f.mutedPartitions = v; return f; })} />
        </fieldset>
        <button type="submit">Save</button>
      </form>
      <section aria-live="polite" aria-label="Result">
        {notice && <p className={`notice ${notice.tone === "ok" ? "ok" : "error"}`} role="alert">{notice.text}</p>}
      </section>
    </main>
  );
}

function EventRule(props: {
  kind: EventKind;
  form: PrefsForm;
  names: string[];
  error?: string;
  update: (change: (f: PrefsForm) => PrefsForm) => void;
}) {
  const { kind, form, names, error, update } = props;
  const row = form.events[kind];
  const id = `event-${kind}`;
  return (
    <div className={`field event-row${error ? " invalid" : ""}`} role="group" aria-labelledby={`${id}-label`}>
      <p className="event-label" id={`${id}-label`}>{KIND_LABELS[kind]} <code>{kind}</code></p>
      <label className="check">
        <input type="checkbox" checked={row.all} onChange={(e) => update((f) => {
          f.events[kind].all = e.target.checked;
          if (!e.target.checked) f.events[kind].receivers = [...names];
          return f;
        })} /> All receivers
      </label>
      {!row.all && names.map((name) => (
        <label className="check" key={name}>
          <input type="checkbox" checked={row.receivers.includes(name)} onChange={(e) => update((f) => {
            const r = f.events[kind].receivers;
            f.events[kind].receivers = e.target.checked ? [...r, name] : r.filter((n) => n !== name);
            return f;
          })} /> {name}
        </label>
      ))}
      <label htmlFor={`${id}-digest`}>How often</label>
      <select id={`${id}-digest`} value={row.digest} onChange={(e) => update((f) => {
        f.events[kind].digest = e.target.value as Digest;
        return f;
      })}>
        <option value="immediate">At once</option>
        <option value="hourly">Hourly digest</option>
        <option value="daily">Daily digest</option>
      </select>
      {error && <p className="error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

function Text(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
  type?: string;
}) {
  const { id, label, value, onChange, error, hint, type } = props;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      <input id={id} type={type ?? "text"} value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined} aria-describedby={described} autoComplete="off" />
      {error && <p className="error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

function AskForLink({ stage, onStage }: {
  stage: { kind: "ask"; user: string; problem?: string; sent?: string };
  onStage: (s: Stage) => void;
}) {
  const [user, setUser] = useState(stage.user);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function ask(event: FormEvent) {
    event.preventDefault();
    if (!user.trim()) {
      setError("Your user name is required");
      return;
    }
    setBusy(true);
    const answer = await askForLink(user.trim());
    setBusy(false);
    if (answer.kind === "ok") {
      setError(null);
      onStage({ kind: "ask", user: user.trim(), sent: answer.value.message });
    } else if (answer.kind === "invalid") {
      setError(answer.errors.user ?? Object.values(answer.errors).join(" "));
    } else {
      setError(answer.kind === "failed" || answer.kind === "refused" ? answer.message : "Could not ask for a link.");
    }
  }

  return (
    <main>
      <header>
        <h1>Your notification settings</h1>
        <p className="lead">Choose where and when Herald tells you about your Slurm jobs. Herald mails you a link
          that opens your settings; it works once, for a short while.</p>
      </header>
      {stage.problem && <p className="notice error" role="alert" id="link-problem">{stage.problem}</p>}
      {stage.sent && <p className="notice ok" role="status" id="link-sent">{stage.sent}</p>}
      <form onSubmit={ask} noValidate>
        <div className={`field${error ? " invalid" : ""}`}>
          <label htmlFor="me-user">Your user name on the cluster</label>
          <input id="me-user" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username"
            aria-invalid={error ? true : undefined} aria-describedby={error ? "me-user-error" : undefined} />
          {error && <p className="error" id="me-user-error">{error}</p>}
        </div>
        <button type="submit" disabled={busy}>{stage.problem ? "Send me a new link" : "Send me a link"}</button>
      </form>
    </main>
  );
}
