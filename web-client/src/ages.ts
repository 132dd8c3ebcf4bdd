// How old a queue's oldest message is, as the overview reports it (see the API's openapi.json):
// seconds, or null with `oldestAgeFrom` saying why it is unknown.

export type AgeFrom =
  | "empty"
  | "pipeline"
  | "sample"
  | "no-pipeline-reporting"
  | "not-received"
  | "not-sampled"
  | "store-unreadable";

/** What an unknown age is shown as. */
export const NO_AGE = "—";

/** Why an age is unknown, for the note under the table; values the server adds later fall back to its label. */
const UNKNOWN_BECAUSE: Partial<Record<AgeFrom, string>> = {
  "no-pipeline-reporting": "no pipeline reporting: no pipeline instance reported this queue lately",
  "not-received": "the pipelines received nothing from this queue lately (paused, or at their in-flight limit)",
  "not-sampled": "none of its messages could be peeked at (held by `herald dlq` list or redrive)",
  "store-unreadable": "the status table, where pipelines report, could not be read",
};

/** An age at a glance, as `herald queues` prints it: 12s, 4m, 2h, 3d. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return NO_AGE;
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function unknownBecause(from: AgeFrom): string {
  return UNKNOWN_BECAUSE[from] ?? from;
}

export interface AgeNote {
  reason: string;
  queues: string[];
}

/** One note per reason some ages are unknown, naming the queues it applies to, in the order met. */
export function unknownAgeNotes(ages: { queue: string; oldestAgeSeconds: number | null; oldestAgeFrom: AgeFrom }[]): AgeNote[] {
  const notes = new Map<string, string[]>();
  for (const a of ages) {
    if (a.oldestAgeSeconds !== null) continue;
    const reason = unknownBecause(a.oldestAgeFrom);
    notes.set(reason, [...(notes.get(reason) ?? []), a.queue]);
  }
  return [...notes].map(([reason, queues]) => ({ reason, queues }));
}
