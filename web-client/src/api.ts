// The calls the page makes, with every answer the API documents turned into a value the page
// can show: nothing here throws for an HTTP status.

import type { Channels } from "./validation";

export interface Queued {
  id: string;
  receiver: string;
  channel: string;
  target: string;
  state: string;
  status: string;
}

export interface Refused {
  position: number;
  item: string;
  reason: string;
}

export type SendResult =
  | {
      kind: "accepted";
      notifications: Queued[];
      refused: Refused[];
      refusedMore: number;
      failed: { receiver: string; reason: string }[];
    }
  | { kind: "invalid"; errors: Record<string, string>; refused: Refused[]; refusedMore: number }
  | { kind: "unavailable"; retryAfter: number | null }
  | { kind: "unauthorized"; message: string }
  | { kind: "limited"; retryAfter: number | null; message: string }
  | { kind: "failed"; message: string };

export interface Status {
  id: string;
  state: string;
  final: boolean;
  at: string;
  provider?: string;
  providerMessageId?: string;
  attempts?: number;
  lastError?: string;
  reason?: string;
  /** every state it went through, oldest first (each with what that state knows) */
  history?: StatusStep[];
}

export interface StatusStep {
  state: string;
  at: string;
  provider?: string;
  attempts?: number;
  lastError?: string;
  reason?: string;
}

function headers(apiKey: string): Record<string, string> {
  const h: Record<string, string> = { "Content-Type": "application/json" };
  if (apiKey.trim()) h.Authorization = "Bearer " + apiKey.trim();
  return h;
}

async function json(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function retryAfter(response: Response): number | null {
  const value = Number(response.headers.get("Retry-After"));
  return Number.isFinite(value) && value > 0 ? value : null;
}

function base(body: Record<string, unknown>, fallback: string): string {
  const errors = body.errors as Record<string, string> | undefined;
  return errors?.base ?? fallback;
}

export async function sendNotification(
  body: Record<string, string>,
  apiKey: string,
  idempotencyKey: string,
): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch("/v1/notifications", {
      method: "POST",
      headers: { ...headers(apiKey), "Idempotency-Key": idempotencyKey },
      body: JSON.stringify(body),
    });
  } catch {
    return { kind: "failed", message: "The server could not be reached. Nothing was sent." };
  }
  const answer = await json(response);
  switch (response.status) {
    case 202:
      return {
        kind: "accepted",
        notifications: (answer.notifications as Queued[]) ?? [],
        refused: (answer.refused as Refused[]) ?? [],
        refusedMore: (answer.refusedMore as number) ?? 0,
        failed: (answer.failed as { receiver: string; reason: string }[]) ?? [],
      };
    case 400:
    case 403:
    case 409:
    case 422:
      return {
        kind: "invalid",
        errors: (answer.errors as Record<string, string>) ?? { base: "The server refused the request." },
        refused: (answer.refused as Refused[]) ?? [],
        refusedMore: (answer.refusedMore as number) ?? 0,
      };
    case 401:
      return { kind: "unauthorized", message: base(answer, "This server needs an API key.") };
    case 429:
      return { kind: "limited", retryAfter: retryAfter(response), message: base(answer, "Too many requests.") };
    case 503:
      return { kind: "unavailable", retryAfter: retryAfter(response) };
    default:
      return { kind: "failed", message: `The server answered ${response.status}. Nothing may have been sent.` };
  }
}

export async function fetchStatus(path: string, apiKey: string): Promise<Status | null> {
  try {
    const response = await fetch(path, { headers: headers(apiKey) });
    return response.ok ? ((await response.json()) as Status) : null;
  } catch {
    return null;
  }
}

/** The channels and receiver schemes the server has (public); null when it cannot be read. */
export async function fetchChannels(): Promise<Channels | null> {
  try {
    const response = await fetch("/v1/channels");
    return response.ok ? ((await response.json()) as Channels) : null;
  } catch {
    return null;
  }
}
