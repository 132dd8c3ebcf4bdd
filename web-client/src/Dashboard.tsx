import { useEffect, useId, useRef, useState } from "react";
import {
  fetchDemo, fetchOverview, setBroken, setTraffic,
  type DemoState, type Overview, type PoolOverview, type QueueOverview,
} from "./overview";
import { formatAge, NO_AGE, unknownAgeNotes, unknownBecause, type AgeFrom } from "./ages";
import { advance, EMPTY_HISTORY, type ProviderSample, type RateHistory } from "./rates";
import { RateChart } from "./RateChart";

const POLL_MS = 2000;
const CHART_WINDOW_MS = 2 * 60_000;
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
    const poll = async () => {
      const [result, demoState] = await Promise.all([fetchOverview(keyRef.current), fetchDemo(keyRef.current)]);
      if (stopped) return;
      setDemo(demoState);
      if (result.kind === "ok") {
        setOverview(result.overview);
        setProblem(null);
        setHistory((h) => advance(h, samples(result.overview), CHART_WINDOW_MS));
      } else {
        setProblem({ text: result.message, needsKey: result.kind === "unauthorized" });
      }
      timer = setTimeout(poll, POLL_MS);
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  const now = overview ? Date.parse(overview.generatedAt) : Date.now();

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
            <RateChart history={history} now={now} windowMs={CHART_WINDOW_MS} />
          </section>
          <Pools pools={overview.pools} pauses={overview.pauses.length} />
          <Queues queues={overview.queues} />
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

function Pools({ pools, pauses }: { pools: PoolOverview[]; pauses: number }) {
  return (
    <section aria-labelledby="pools-heading">
      <h2 id="pools-heading">Providers</h2>
      {pauses > 0 && <p className="notice warning">{pauses === 1 ? "One pause is" : `${pauses} pauses are`} on.</p>}
      {pools.length === 0 && <p>No pipeline has reported yet.</p>}
      {pools.map((pool) => <Pool key={pool.channel} pool={pool} />)}
    </section>
  );
}

function Pool({ pool }: { pool: PoolOverview }) {
  const caption = useId();
  return (
    <div className="table-wrap">
      <table aria-labelledby={caption} data-channel={pool.channel}>
        <caption id={caption}>{pool.channel}{pool.paused ? " (paused)" : ""}</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">State</th>
            <th scope="col" className="num">Delivered</th>
            <th scope="col" className="num">Failed</th>
            <th scope="col" className="num">Probes</th>
          </tr>
        </thead>
        <tbody>
          {pool.workers.map((w) => (
            <tr key={w.provider} data-provider={w.provider}>
              <th scope="row">{w.provider}{w.instances > 1 ? <span className="hint"> ×{w.instances}</span> : null}</th>
              <td><span className={`badge badge-${w.state}`} data-state={w.state}>{w.state}</span></td>
              <td className="num">{w.delivered}</td>
              <td className="num">{w.failed}</td>
              <td className="num">{w.probes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
