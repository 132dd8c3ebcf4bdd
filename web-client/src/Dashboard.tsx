import { useEffect, useId, useRef, useState } from "react";
import {
  fetchDemo, fetchHistory, fetchOverview, pause, resume, setBroken, setTraffic,
  type DemoState, type Overview, type PauseOverview, type PoolOverview, type QueueOverview, type WorkerOverview,
} from "./overview";
import { formatAge, NO_AGE, unknownAgeNotes, unknownBecause, type AgeFrom } from "./ages";
import { advance, chartWindow, EMPTY_HISTORY, fromSamples, type ProviderSample, type RateHistory } from "./rates";
import { RateChart } from "./RateChart";
import { DeadLetters } from "./DeadLetters";
import { Suppressions } from "./Suppressions";
import { aboveAlert, BOUNCE_ALERT, COMPLAINT_ALERT, formatRate, type FeedbackRate } from "./feedbackRates";

const POLL_MS = 2000;
/** The chart spans its history: at least this, at most the hour the API keeps. */
const CHART_MIN_MS = 2 * 60_000;
const CHART_MAX_MS = 60 * 60_000;
const DEMO_RATES = [0, 2, 5, 10, 20];

/** Each provider's cumulative deliveries as of its latest report, summed over its pools. */
function samples(overview: Overview): Record<string, ProviderSample> {
  const out: Record<string, ProviderSample> = {};
  for (const pool of overview.pools) {
    for (const w of pool.workers) {
      const at = Date.parse(w.updatedAt);
      const seen = out[w.provider];
      out[w.provider] = seen
        ? { delivered: seen.delivered + w.delivered, at: Math.max(seen.at, at) }
        : { delivered: w.delivered, at };
    }
  }
  return out;
}

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

export function Dashboard() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [problem, setProblem] = useState<{ text: string; needsKey: boolean } | null>(null);
  const [history, setHistory] = useState<RateHistory>(EMPTY_HISTORY);
  const [demo, setDemo] = useState<DemoState | null>(null);
  const [apiKey, setApiKey] = useState("");
  const keyRef = useRef(apiKey);
  keyRef.current = apiKey;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The API keeps the last hour of what dashboards saw: a reload draws the chart again at once.
    const loadHistory = async () => {
      const kept = await fetchHistory(keyRef.current);
      if (!stopped && kept && kept.samples.length > 0) {
        setHistory((h) => (Object.keys(h.series).length > 0 ? h : fromSamples(kept.samples, CHART_MAX_MS)));
      }
    };
    const poll = async () => {
      const [result, demoState] = await Promise.all([fetchOverview(keyRef.current), fetchDemo(keyRef.current)]);
      if (stopped) return;
      setDemo(demoState);
      if (result.kind === "ok") {
        setOverview(result.overview);
        setProblem(null);
        setHistory((h) => advance(h, samples(result.overview), CHART_MAX_MS));
      } else {
        setProblem({ text: result.message, needsKey: result.kind === "unauthorized" });
      }
      timer = setTimeout(poll, POLL_MS);
    };
    loadHistory().then(poll);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  const now = overview ? Date.parse(overview.generatedAt) : Date.now();
  const windowMs = chartWindow(history, now, CHART_MIN_MS, CHART_MAX_MS);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState("");
  const toggle = async (scope: "channel" | "provider", name: string, on: boolean) => {
    setBusy(true);
    const answer = await (on ? pause(scope, name, keyRef.current, reason) : resume(scope, name, keyRef.current));
    setBusy(false);
    if (!answer.ok) {
      setActionError(answer.message);
      return;
    }
    setActionError(null);
    if (on) setReason("");
    // Shown at once; the states follow with the pipelines' next reports.
    setOverview((o) => (o ? { ...o, pauses: answer.value.pauses } : o));
  };

  return (
    <>
      <header>
        <h1>Dashboard</h1>
        <p className="lead">Queues, provider health and deliveries, refreshed every {POLL_MS / 1000} seconds.</p>
      </header>

      <p className="updated" aria-live="off">
        {overview ? <>Updated {time(overview.generatedAt)}</> : problem ? null : "Loading…"}
      </p>
      {problem && (
        <div className="notice error" role="alert">
          <p>{problem.text}</p>
          {problem.needsKey && (
            <>
              <label htmlFor="adminKey">Admin API key</label>
              <input id="adminKey" type="password" value={apiKey} autoComplete="off"
                onChange={(e) => setApiKey(e.target.value)} />
            </>
          )}
        </div>
      )}

      {demo && <DemoControls demo={demo} apiKey={apiKey} onChange={setDemo} />}

      {overview && (
        <>
          <section aria-labelledby="rates-heading">
            <h2 id="rates-heading">Deliveries per second</h2>
            <RateChart history={history} now={now} windowMs={windowMs} />
          </section>
          <Pools pools={overview.pools} pauses={overview.pauses} busy={busy} error={actionError} onToggle={toggle}
            reason={reason} onReason={setReason} />
          <Queues queues={overview.queues} />
          <FeedbackRates rates={overview.feedbackRates ?? []} />
          <DeadLetters apiKey={apiKey} />
          <Suppressions apiKey={apiKey} />
          <Recent overview={overview} />
        </>
      )}
    </>
  );
}

function DemoControls({ demo, apiKey, onChange }: { demo: DemoState; apiKey: string; onChange: (d: DemoState) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (call: Promise<DemoState | string>) => {
    setBusy(true);
    const result = await call;
    setBusy(false);
    if (typeof result === "string") setError(result);
    else {
      setError(null);
      onChange(result);
    }
  };
  return (
    <section aria-labelledby="demo-heading" className="demo">
      <h2 id="demo-heading">Chaos demo</h2>
      <p className="hint">
        Local stand-ins for the providers' APIs: break one and watch its traffic move, the single probes, and the
        recovery when you heal it.
      </p>
      <ul className="demo-providers">
        {demo.providers.map((p) => (
          <li key={p.provider} data-provider={p.provider}>
            <span className="provider">{p.provider}</span>{" "}
            <span className={p.broken ? "broken" : "working"}>{p.broken ? "broken: answers 500" : "working"}</span>{" "}
            <button type="button" disabled={busy} aria-pressed={p.broken}
              onClick={() => run(setBroken(p.provider, !p.broken, apiKey))}>
              {p.broken ? `Heal ${p.provider}` : `Break ${p.provider}`}
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor="demo-traffic">Demo traffic</label>
      <select id="demo-traffic" value={demo.traffic.perSecond} disabled={busy}
        onChange={(e) => run(setTraffic(Number(e.target.value), apiKey))}>
        {[...new Set([...DEMO_RATES, demo.traffic.perSecond])].sort((a, b) => a - b).map((r) => (
          <option key={r} value={r}>{r === 0 ? "off" : `${r} notifications per second`}</option>
        ))}
      </select>
      <p className="hint">{demo.traffic.sent} demo notifications sent so far.</p>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}

type Toggle = (scope: "channel" | "provider", name: string, on: boolean) => void;

/** The API's limit on a pause's reason (Pause.MAX_REASON_CHARS). */
const MAX_REASON = 300;

function Pools({ pools, pauses, busy, error, onToggle, reason, onReason }: {
  pools: PoolOverview[]; pauses: PauseOverview[]; busy: boolean; error: string | null; onToggle: Toggle;
  reason: string; onReason: (reason: string) => void;
}) {
  return (
    <section aria-labelledby="pools-heading">
      <h2 id="pools-heading">Providers</h2>
      <div className="pause-reason">
        <label htmlFor="pauseReason">Reason for the next pause <span className="hint">(optional, shown to
          everyone with your key's name)</span></label>
        <input id="pauseReason" type="text" value={reason} maxLength={MAX_REASON} autoComplete="off"
          placeholder="e.g. sandbox sending limit, ticket 4711" onChange={(e) => onReason(e.target.value)} />
      </div>
      {pauses.length > 0 && (
        <div className="notice warning">
          <p>{pauses.length === 1 ? "One pause is" : `${pauses.length} pauses are`} on:</p>
          <ul className="pauses">
            {pauses.map((p) => (
              <li key={`${p.scope}/${p.name}`} data-pause={`${p.scope}/${p.name}`}>
                {p.scope} <strong>{p.name}</strong>, paused by <strong className="by">{p.by}</strong> since{" "}
                <time dateTime={p.since}>{time(p.since)}</time>
                {p.reason && <>: <q className="reason">{p.reason}</q></>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {pools.length === 0 && <p>No pipeline has reported yet.</p>}
      {pools.map((pool) => (
        <Pool key={pool.channel} pool={pool} pauses={pauses} busy={busy} onToggle={onToggle} />
      ))}
    </section>
  );
}

function paused(pauses: PauseOverview[], scope: "channel" | "provider", name: string): PauseOverview | undefined {
  return pauses.find((p) => p.scope === scope && p.name === name);
}

function Pool({ pool, pauses, busy, onToggle }: {
  pool: PoolOverview; pauses: PauseOverview[]; busy: boolean; onToggle: Toggle;
}) {
  const caption = useId();
  const channelPause = paused(pauses, "channel", pool.channel);
  return (
    <div className="pool">
      <div className="pool-head">
        <span id={caption} className="caption">{pool.channel}{channelPause ? " (paused)" : ""}</span>
        <button type="button" className="small" disabled={busy}
          onClick={() => onToggle("channel", pool.channel, !channelPause)}>
          {channelPause ? `Resume channel ${pool.channel}` : `Pause channel ${pool.channel}`}
        </button>
      </div>
      <div className="table-wrap">
        <table aria-labelledby={caption} data-channel={pool.channel}>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">State</th>
              <th scope="col" className="num">Delivered</th>
              <th scope="col" className="num">Failed</th>
              <th scope="col" className="num">Probes</th>
              <th scope="col">Last error</th>
              <th scope="col"><span className="visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody>
            {pool.workers.map((w) => (
              <WorkerRow key={w.provider} worker={w} pause={paused(pauses, "provider", w.provider)} busy={busy}
                onToggle={onToggle} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function WorkerRow({ worker: w, pause: p, busy, onToggle }: {
  worker: WorkerOverview; pause: PauseOverview | undefined; busy: boolean; onToggle: Toggle;
}) {
  return (
    <tr data-provider={w.provider}>
      <th scope="row">{w.provider}{w.instances > 1 ? <span className="hint"> ×{w.instances}</span> : null}</th>
      <td>
        <span className={`badge badge-${w.state}`} data-state={w.state}>{w.state}</span>
        {w.unhealthySince && w.state !== "healthy" && (
          <span className="since"> since <time dateTime={w.unhealthySince}>{time(w.unhealthySince)}</time></span>
        )}
      </td>
      <td className="num">{w.delivered}</td>
      <td className="num">{w.failed}</td>
      <td className="num">{w.probes}</td>
      <td className="last-error">{w.lastError ?? <span className="hint">none</span>}</td>
      <td>
        <button type="button" className="small" disabled={busy} onClick={() => onToggle("provider", w.provider, !p)}>
          {p ? `Resume ${w.provider}` : `Pause ${w.provider}`}
        </button>
      </td>
    </tr>
  );
}

/** An age cell: an unknown one says why when pointed at, and in the notes under the table. */
function AgeCell({ seconds, from }: { seconds: number | null; from: AgeFrom }) {
  return seconds === null
    ? <td className="num" title={unknownBecause(from)} data-age-from={from}>{NO_AGE}</td>
    : <td className="num" data-age-from={from}>{formatAge(seconds)}</td>;
}

export function Queues({ queues }: { queues: QueueOverview[] }) {
  const notes = unknownAgeNotes(queues.flatMap((q) => [q, q.deadLetter]));
  return (
    <section aria-labelledby="queues-heading">
      <h2 id="queues-heading">Queues</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col" className="num">Waiting</th>
              <th scope="col" className="num">In flight</th>
              <th scope="col" className="num" title="Sent with a delay: a paused channel's messages are parked here">
                Delayed (parked)
              </th>
              <th scope="col" className="num">Oldest</th>
              <th scope="col" className="num">Dead letters</th>
              <th scope="col" className="num">Oldest dead letter</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={q.queue} data-queue={q.queue}>
                <th scope="row">{q.queue}{q.channel ? <span className="hint"> ({q.channel})</span> : null}</th>
                <td className="num">{q.depth}</td>
                <td className="num">{q.inFlight}</td>
                <td className="num" data-column="delayed">{q.delayed}</td>
                <AgeCell seconds={q.oldestAgeSeconds} from={q.oldestAgeFrom} />
                <td className={`num${q.deadLetter.depth > 0 ? " attention" : ""}`}>{q.deadLetter.depth}</td>
                <AgeCell seconds={q.deadLetter.oldestAgeSeconds} from={q.deadLetter.oldestAgeFrom} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        Oldest: since the oldest message was sent, as the pipelines last received it; a dead-letter queue's is the
        oldest of up to 10 messages peeked at.
      </p>
      {notes.map((n) => (
        <p key={n.reason} className="hint age-note">{NO_AGE} {n.queues.join(", ")}: {n.reason}</p>
      ))}
    </section>
  );
}

export function FeedbackRates({ rates }: { rates: FeedbackRate[] }) {
  const rateCell = (rate: number | null, threshold: number) => (
    <td className={`num${aboveAlert(rate, threshold) ? " attention" : ""}`}
      data-above-alert={aboveAlert(rate, threshold) ? "true" : undefined}>{formatRate(rate)}</td>
  );
  return (
    <section aria-labelledby="feedback-rates-heading">
      <h2 id="feedback-rates-heading">Bounces and complaints</h2>
      {rates.length === 0 ? <p>No delivery feedback today or yesterday.</p> : (
        <div className="table-wrap">
          <table data-table="feedback-rates">
            <thead>
              <tr>
                <th scope="col">Sender domain</th>
                <th scope="col" className="num">Delivered</th>
                <th scope="col" className="num">Hard bounces</th>
                <th scope="col" className="num">Bounce rate</th>
                <th scope="col" className="num">Complaints</th>
                <th scope="col" className="num">Complaint rate</th>
              </tr>
            </thead>
            <tbody>
              {rates.map((r) => (
                <tr key={r.senderDomain} data-sender-domain={r.senderDomain}>
                  <th scope="row">{r.senderDomain}</th>
                  <td className="num">{r.delivered}</td>
                  <td className="num">{r.hardBounces}</td>
                  {rateCell(r.bounceRate, BOUNCE_ALERT)}
                  <td className="num">{r.complaints}</td>
                  {rateCell(r.complaintRate, COMPLAINT_ALERT)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="hint">
        Today and yesterday (UTC), as the providers reported them. Marked above {formatRate(BOUNCE_ALERT)} bounces
        or {formatRate(COMPLAINT_ALERT)} complaints, where the alerts fire once a domain has enough mail.
      </p>
    </section>
  );
}

function Recent({ overview }: { overview: Overview }) {
  const { rejections, deadLetters } = overview.recent;
  return (
    <>
      <section aria-labelledby="rejections-heading">
        <h2 id="rejections-heading">Latest rejections</h2>
        {rejections.length === 0 ? <p>None.</p> : (
          <ul className="events">
            {rejections.map((r, i) => (
              <li key={`${r.at}-${i}`}>
                <time dateTime={r.at}>{time(r.at)}</time> <code>{r.receiver}</code>: {r.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="dead-letters-heading">
        <h2 id="dead-letters-heading">Latest dead letters</h2>
        {deadLetters.length === 0 ? <p>None.</p> : (
          <ul className="events">
            {deadLetters.map((d, i) => (
              <li key={`${d.id ?? d.at}-${i}`}>
                <time dateTime={d.at}>{time(d.at)}</time>{d.channel ? ` ${d.channel}` : ""}: {d.reason}
                {d.id && <span className="id">id <code>{d.id}</code></span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
