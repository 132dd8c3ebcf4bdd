// Bounce and complaint rates per sender domain, as GET /v1/admin/overview reports them (feedbackRates): counts of
// today and yesterday (UTC) from the status table, written by the pipeline (SES feedback) and the API (SendGrid's).
// The thresholds are the Prometheus alerts' (ops/prometheus/herald-alerts.yml); the alerts also need a volume.

export interface FeedbackRate {
  senderDomain: string;
  delivered: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
  /** hard bounces / (deliveries + hard bounces); null with nothing to divide by */
  bounceRate: number | null;
  /** complaints / deliveries; null with no deliveries */
  complaintRate: number | null;
}

/** HeraldBounceRateHigh: SES reviews an account at 5 %. */
export const BOUNCE_ALERT = 0.05;
/** HeraldComplaintRateHigh: Gmail and Yahoo advise staying below 0.1 %. */
export const COMPLAINT_ALERT = 0.001;

/** A rate as a percentage; small ones keep two decimals so 0.05 % does not read as 0.1 %. */
export function formatRate(rate: number | null): string {
  if (rate === null) return "–";
  const percent = rate * 100;
  return `${percent.toFixed(percent < 1 ? 2 : 1)} %`;
}

/** Whether a rate is above its alert's threshold (the page marks it; the alert also wants volume). */
export function aboveAlert(rate: number | null, threshold: number): boolean {
  return rate !== null && rate > threshold;
}
