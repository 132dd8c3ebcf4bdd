import { latest, type RateHistory } from "./rates";

// A line per provider over the last minutes; drawn by hand in SVG so the page needs no charting
// package. Lines differ in dash pattern as well as colour (classes series-0..3 in styles.css), so
// the chart reads without colour too.
const SERIES_STYLES = 4;
const WIDTH = 600;
const HEIGHT = 180;
const PAD = { left: 36, right: 8, top: 8, bottom: 20 };

function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function format(perSecond: number | null): string {
  if (perSecond === null) return "no rate yet";
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)}/s`;
}

export function RateChart({ history, now, windowMs }: { history: RateHistory; now: number; windowMs: number }) {
  const providers = Object.keys(history.series).sort();
  let peak = 0;
  for (const p of providers) for (const point of history.series[p]) peak = Math.max(peak, point.perSecond);
  const top = niceMax(peak);
  const x = (at: number) => PAD.left + ((at - (now - windowMs)) / windowMs) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - (v / top) * (HEIGHT - PAD.top - PAD.bottom);
  const summary = providers.length === 0
    ? "No deliveries reported yet."
    : providers.map((p) => `${p} ${format(latest(history, p))}`).join(", ");

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Deliveries per second by provider: ${summary}`}>
        {[0, top / 2, top].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.left - 4} y={y(v) + 4} textAnchor="end" className="axis">{v}</text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 4} className="axis">{Math.round(windowMs / 60_000)} min ago</text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 4} textAnchor="end" className="axis">now</text>
        {providers.map((p, i) => {
          const points = history.series[p].filter((point) => point.at >= now - windowMs);
          if (points.length === 0) return null;
          return (
            <polyline key={p} data-provider={p} className={`line series-${i % SERIES_STYLES}`}
              points={points.map((point) => `${x(point.at).toFixed(1)},${y(point.perSecond).toFixed(1)}`).join(" ")} />
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {providers.map((p, i) => {
            return (
              <li key={p} data-provider={p}>
                <svg width="28" height="10" aria-hidden="true">
                  <line x1="0" x2="28" y1="5" y2="5" className={`line series-${i % SERIES_STYLES}`} />
                </svg>
                <span className="provider">{p}</span> <span className="rate">{format(latest(history, p))}</span>
              </li>
            );
          })}
          {providers.length === 0 && <li>No deliveries reported yet.</li>}
        </ul>
      </figcaption>
    </figure>
  );
}
