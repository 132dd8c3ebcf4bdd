import { useState, type FormEvent } from "react";
import { addSuppression, listSuppressions, removeSuppression, type SuppressionEntry } from "./overview";

// The one suppression list, as `herald suppressions list/add/remove` sees it: addresses no email
// goes to (hard bounces, complaints, unsubscribes, admins' entries). Listed on request, since
// listing them all reads the whole status table; each entry can be removed, and an address added.

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function Suppressions({ apiKey }: { apiKey: string }) {
  const [filter, setFilter] = useState("");
  const [address, setAddress] = useState("");
  const [reason, setReason] = useState("");
  const [entries, setEntries] = useState<SuppressionEntry[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const list = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    const answer = await listSuppressions(filter, apiKey);
    setBusy(false);
    if (answer.ok) {
      setEntries(answer.value.suppressions);
      setError(null);
    } else setError(answer.message);
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    // The API refuses these too; said here, the message names the field.
    if (!address.trim() || !reason.trim()) {
      setError(!address.trim() ? "Address: give the address to suppress." : "Reason: say why no email may go to it.");
      return;
    }
    setBusy(true);
    const answer = await addSuppression(address, reason, apiKey);
    setBusy(false);
    if (!answer.ok) {
      setError(answer.message);
      return;
    }
    setError(null);
    setNotice(`Suppressed ${answer.value.address}: no email goes to it from now on.`);
    setAddress("");
    setReason("");
    await list();
  };
  const remove = async (which: string) => {
    setBusy(true);
    const answer = await removeSuppression(which, apiKey);
    setBusy(false);
    if (!answer.ok) {
      setError(answer.message);
      return;
    }
    setError(null);
    setNotice(`Removed ${which}: it may be emailed again.`);
    await list();
  };

  return (
    <section aria-labelledby="suppressions-heading">
      <h2 id="suppressions-heading">Suppressed addresses</h2>
      <form className="filters" onSubmit={list} aria-label="Suppression filter">
        <div className="filter">
          <label htmlFor="sup-filter">Address</label>
          <input id="sup-filter" value={filter} placeholder="any" autoComplete="off"
            onChange={(e) => setFilter(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>List suppressions</button>
        </div>
      </form>
      <form className="filters" onSubmit={add} aria-label="Suppress an address">
        <div className="filter">
          <label htmlFor="sup-address">Address to suppress</label>
          <input id="sup-address" type="email" value={address} placeholder="user@example.org" autoComplete="off"
            onChange={(e) => setAddress(e.target.value)} />
        </div>
        <div className="filter">
          <label htmlFor="sup-reason">Reason</label>
          <input id="sup-reason" value={reason} placeholder="asked by phone, ticket 4711" autoComplete="off"
            maxLength={300} onChange={(e) => setReason(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" disabled={busy}>Suppress</button>
        </div>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {notice && <p className="notice ok" role="status" data-suppression-notice>{notice}</p>}
      {entries && (entries.length === 0 ? <p data-suppressions="0">Nothing is suppressed.</p> : (
        <div className="table-wrap">
          <table data-suppressions={entries.length}>
            <caption>{entries.length} entr{entries.length === 1 ? "y" : "ies"}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Category</th>
                <th scope="col">Since</th>
                <th scope="col">Source</th>
                <th scope="col">Reason</th>
                <th scope="col"><span className="visually-hidden">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {entries.map((s) => (
                <tr key={`${s.address} ${s.category}`} data-address={s.address}>
                  <td>{s.address}</td>
                  <td>{s.category === "*" ? "all" : s.category}</td>
                  <td><time dateTime={s.at}>{time(s.at)}</time></td>
                  <td>{s.source}</td>
                  <td className="reason">{s.reason}</td>
                  <td>
                    <button type="button" className="small" disabled={busy} onClick={() => remove(s.address)}
                      aria-label={`Remove ${s.address}`}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
