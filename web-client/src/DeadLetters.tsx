import { useState, type FormEvent } from "react";
import {
  listDeadLetters, redrive, showDeadLetter,
  type DeadLetterFilter, type ListedDeadLetter, type RedriveResult, type ShownDeadLetter,
} from "./overview";

// The dead-letter queues, as `herald dlq list/show/redrive` see them: listed on request (reading a
// dead-letter queue hides its messages for a moment, so it is not polled), one shown with its
// body, and the ones the filter selects moved back, or only counted with the dry run.

const NO_FILTER: DeadLetterFilter = { channel: "", provider: "", reason: "" };

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** What a redrive did, in one sentence. */
export function describeRedrive(r: RedriveResult): string {
  const examined = `${r.examined} examined`;
  if (r.dryRun) return `Dry run: would move ${r.matched} of them back (${examined}); nothing was moved.`;
  const extra = [
    r.failed > 0 ? `${r.failed} refused by SQS, still dead-lettered` : "",
    r.doubled > 0 ? `${r.doubled} moved but not deleted, now in both queues` : "",
    r.returned > 0 ? `${r.returned} failed again during the run and were left there` : "",
  ].filter(Boolean);
  return `Moved ${r.moved} back to their queues (${examined})${extra.length ? "; " + extra.join("; ") : ""}.`;
}

export function DeadLetters({ apiKey }: { apiKey: string }) {
  const [filter, setFilter] = useState<DeadLetterFilter>(NO_FILTER);
  const [dryRun, setDryRun] = useState(true);
  const [listed, setListed] = useState<{ letters: ListedDeadLetter[]; more: boolean } | null>(null);
  const [shown, setShown] = useState<ShownDeadLetter | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const list = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    const answer = await listDeadLetters(filter, apiKey);
    setBusy(false);
    if (answer.ok) {
      setListed({ letters: answer.value.deadLetters, more: answer.value.more });
      setError(null);
    } else setError(answer.message);
  };
  const show = async (id: string) => {
    setBusy(true);
    const answer = await showDeadLetter(id, apiKey);
    setBusy(false);
    if (answer.ok) {
      setShown(answer.value);
      setError(null);
    } else setError(answer.message);
  };
  const move = async () => {
    setBusy(true);
    const answer = await redrive(filter, dryRun, apiKey);
    setBusy(false);
    if (!answer.ok) {
      setError(answer.message);
      return;
    }
    setError(null);
    setResult(describeRedrive(answer.value));
    if (!answer.value.dryRun) {
      setShown(null);
      await list();
    }
  };
  const field = (key: keyof DeadLetterFilter, label: string, hint: string) => (
    <div className="filter">
      <label htmlFor={`dl-${key}`}>{label}</label>
      <input id={`dl-${key}`} value={filter[key]} placeholder={hint} autoComplete="off"
        onChange={(e) => setFilter({ ...filter, [key]: e.target.value })} />
    </div>
  );

  return (
    <section aria-labelledby="dlq-heading">
      <h2 id="dlq-heading">Dead letters</h2>
      <form className="filters" onSubmit={list} aria-label="Dead-letter filter">
        {field("channel", "Channel", "any")}
        {field("provider", "Provider", "any")}
        {field("reason", "Reason contains", "any")}
        <div className="actions">
          <button type="submit" disabled={busy}>List dead letters</button>
          <label className="check">
            <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
            Dry run (count only)
          </label>
          <button type="button" disabled={busy} onClick={move}>
            {dryRun ? "Count what would move" : "Redrive matching"}
          </button>
        </div>
      </form>
      <p className="hint">
        The filters apply to the list and to the redrive alike, as <code>herald dlq redrive --filter</code> does.
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      {result && <p className="notice ok" role="status" data-redrive-result>{result}</p>}
      {listed && (listed.letters.length === 0 ? <p data-dead-letters="0">No dead letters match.</p> : (
        <div className="table-wrap">
          <table data-dead-letters={listed.letters.length}>
            <caption>
              {listed.letters.length} dead letter{listed.letters.length === 1 ? "" : "s"}
              {listed.more ? " (the first 100; there are more)" : ""}, oldest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Dead-lettered</th>
                <th scope="col">Channel</th>
                <th scope="col">Provider</th>
                <th scope="col">Reason</th>
                <th scope="col"><span className="visually-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {listed.letters.map((l) => (
                <tr key={l.messageId} data-id={l.id}>
                  <td><time dateTime={l.deadLetteredAt}>{time(l.deadLetteredAt)}</time></td>
                  <td>{l.channel ?? "—"}</td>
                  <td>{l.provider ?? "—"}</td>
                  <td className="reason">{l.reason}</td>
                  <td>
                    <button type="button" className="small" disabled={busy} onClick={() => show(l.id)}
                      aria-label={`Show dead letter ${l.id}`}>
                      Show
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {shown && (
        <div className="panel" aria-labelledby="dl-shown-heading" role="region">
          <h3 id="dl-shown-heading">Dead letter <code>{shown.id}</code></h3>
          <dl className="facts">
            <dt>Reason</dt><dd>{shown.reason}</dd>
            <dt>Channel</dt><dd>{shown.channel ?? "—"}</dd>
            <dt>Target</dt><dd>{shown.target ?? "—"}</dd>
            <dt>Provider</dt><dd>{shown.provider ?? "—"}</dd>
            <dt>Queue</dt><dd>{shown.queue} (dead-letter queue {shown.deadLetterQueue})</dd>
          </dl>
          <pre className="body" tabIndex={0} aria-label="Message body">{pretty(shown.body)}</pre>
        </div>
      )}
    </section>
  );
}
