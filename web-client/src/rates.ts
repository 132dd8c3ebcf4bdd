// Deliveries per second by provider, from successive polls of the overview's cumulative counters.
// The pipeline reports each provider's `delivered` count since it started, renewed now and then;
// the rate is the growth of that count between two reports divided by the time between them.

/** One provider's cumulative count as of its latest report (`at`: epoch milliseconds). */
export interface ProviderSample {
  delivered: number;
  at: number;
}

export interface RatePoint {
  /** epoch milliseconds of the newer report */
  at: number;
  perSecond: number;
}

export interface RateHistory {
  /** the sample each provider's last point was computed from */
  last: Record<string, ProviderSample>;
  /** points per provider, oldest first */
  series: Record<string, RatePoint[]>;
}

export const EMPTY_HISTORY: RateHistory = { last: {}, series: {} };

/**
 * The rate between two samples of one provider, or null when these two cannot tell: no earlier
 * sample, no newer report since it (same time), or a count that went down (an instance restarted
 * or its report aged out, so the sum is over different instances).
 */
export function rate(previous: ProviderSample | undefined, next: ProviderSample): number | null {
  if (!previous) return null;
  const seconds = (next.at - previous.at) / 1000;
  if (!(seconds > 0)) return null;
  const delivered = next.delivered - previous.delivered;
  if (delivered < 0) return null;
  return delivered / seconds;
}

/**
 * The history after one more poll. A provider with no newer report keeps its last sample, so the
 * next report is measured against it; a count that went down starts over from the new sample.
 * Points older than `windowMs` before the newest poll are dropped.
 */
export function advance(history: RateHistory, samples: Record<string, ProviderSample>, windowMs: number): RateHistory {
  const last: Record<string, ProviderSample> = { ...history.last };
  const series: Record<string, RatePoint[]> = {};
  let newest = 0;
  for (const sample of Object.values(samples)) newest = Math.max(newest, sample.at);
  for (const [provider, sample] of Object.entries(samples)) {
    const previous = history.last[provider];
    const points = history.series[provider] ?? [];
    const perSecond = rate(previous, sample);
    if (perSecond !== null) {
      series[provider] = [...points, { at: sample.at, perSecond }];
      last[provider] = sample;
    } else {
      series[provider] = points;
      // Same report again: keep measuring from the old one. Anything else: start over from this one.
      if (!previous || sample.at !== previous.at) last[provider] = sample;
    }
  }
  // A provider that is no longer reported keeps its points until they age out of the window.
  for (const [provider, points] of Object.entries(history.series)) {
    if (!(provider in series)) series[provider] = points;
  }
  for (const provider of Object.keys(series)) {
    series[provider] = series[provider].filter((p) => p.at >= newest - windowMs);
  }
  return { last, series };
}

/** The latest rate of a provider, or null when none is known yet. */
export function latest(history: RateHistory, provider: string): number | null {
  const points = history.series[provider];
  return points && points.length > 0 ? points[points.length - 1].perSecond : null;
}

/**
 * The history the API kept (GET /v1/admin/overview/history) replayed through {@link advance}, so
 * a reloaded page draws the same chart as one that was open all along.
 */
export function fromSamples(
  samples: { providers: Record<string, { delivered: number; at: string }> }[],
  windowMs: number,
): RateHistory {
  let history = EMPTY_HISTORY;
  for (const sample of samples) {
    const providers: Record<string, ProviderSample> = {};
    for (const [provider, count] of Object.entries(sample.providers)) {
      providers[provider] = { delivered: count.delivered, at: Date.parse(count.at) };
    }
    history = advance(history, providers, windowMs);
  }
  return history;
}

/**
 * How much time the chart spans: from its oldest point to now, at least `minMs` (so a fresh
 * chart is not stretched) and at most `maxMs` (the hour the API keeps).
 */
export function chartWindow(history: RateHistory, now: number, minMs: number, maxMs: number): number {
  let oldest = now;
  for (const points of Object.values(history.series)) if (points.length > 0) oldest = Math.min(oldest, points[0].at);
  return Math.min(maxMs, Math.max(minMs, now - oldest));
}
