import type { FeedbackRate } from "./feedbackRates";
// GET /v1/admin/overview (see the API's openapi.json) and the local chaos demo's controls, with
// every answer turned into a value the dashboard can show: nothing here throws for an HTTP status.

import type { AgeFrom } from "./ages";

export interface DeadLetterQueue {
  queue: string;
  depth: number;
  /** from a peek at up to 10 of its messages; 0 when empty, null when unknown (see oldestAgeFrom) */
  oldestAgeSeconds: number | null;
  oldestAgeFrom: AgeFrom;
}

export interface QueueOverview {
  channel: string | null;
  queue: string;
  depth: number;
  inFlight: number;
  /** sent with a delay not yet passed: where a paused channel's parked messages wait */
  delayed: number;
  /** from the pipelines' reports; 0 when empty, null when unknown (see oldestAgeFrom) */
  oldestAgeSeconds: number | null;
  oldestAgeFrom: AgeFrom;
  deadLetter: DeadLetterQueue;
}

export type WorkerState = "healthy" | "unhealthy" | "probing" | "paused";

export interface WorkerOverview {
  provider: string;
  state: WorkerState;
  paused: boolean;
  delivered: number;
  failed: number;
  probes: number;
  instances: number;
  updatedAt: string;
  /** the provider's latest failure, redacted by the pipeline; null when it has not failed */
  lastError: string | null;
  /** when it turned unhealthy; null while healthy */
  unhealthySince: string | null;
}

export interface PoolOverview {
  channel: string;
  paused: boolean;
  workers: WorkerOverview[];
}

export interface PauseOverview {
  scope: "channel" | "provider";
  name: string;
  since: string;
  by: string;
  /** why, as the operator said it; empty when no reason was given */
  reason: string;
}

export interface Rejection {
  at: string;
  id: string | null;
  channel: string | null;
  receiver: string;
  reason: string;
}

export interface DeadLetter {
  at: string;
  id: string | null;
  channel: string | null;
  reason: string;
}

export interface Overview {
  generatedAt: string;
  queues: QueueOverview[];
  pools: PoolOverview[];
  pauses: PauseOverview[];
  recent: { rejections: Rejection[]; deadLetters: DeadLetter[] };
  /** Absent from an API older than this page. */
  feedbackRates?: FeedbackRate[];
}

export type OverviewResult =
  | { kind: "ok"; overview: Overview }
  | { kind: "unauthorized"; message: string }
  | { kind: "failed"; message: string };

export interface DemoProvider {
  provider: string;
  channel: string;
  broken: boolean;
  accepted: number;
  failed: number;
}

export interface DemoState {
  providers: DemoProvider[];
  traffic: { perSecond: number; sent: number };
}

function headers(apiKey: string, json = false): Record<string, string> {
  const h: Record<string, string> = {};
  if (json) h["Content-Type"] = "application/json";
  if (apiKey.trim()) h.Authorization = "Bearer " + apiKey.trim();
  return h;
}

async function baseError(response: Response, fallback: string): Promise<string> {
  try {
    const body = (await response.json()) as { errors?: Record<string, string> };
    const errors = body.errors ?? {};
    return errors.base ?? (Object.values(errors)[0] || fallback);
  } catch {
    return fallback;
  }
}

export async function fetchOverview(apiKey: string): Promise<OverviewResult> {
  let response: Response;
  try {
    response = await fetch("/v1/admin/overview", { headers: headers(apiKey) });
  } catch {
    return { kind: "failed", message: "The server could not be reached." };
  }
  if (response.ok) return { kind: "ok", overview: (await response.json()) as Overview };
  if (response.status === 401 || response.status === 403) {
    return { kind: "unauthorized", message: await baseError(response, "This server needs an admin API key.") };
  }
  return { kind: "failed", message: await baseError(response, `The server answered ${response.status}.`) };
}

/** The demo's state, or null where there is no demo (anything but `./herald local --demo`). */
export async function fetchDemo(apiKey: string): Promise<DemoState | null> {
  try {
    const response = await fetch("/v1/local/demo", { headers: headers(apiKey) });
    return response.ok ? ((await response.json()) as DemoState) : null;
  } catch {
    return null;
  }
}

async function demoCall(path: string, apiKey: string, init: RequestInit): Promise<DemoState | string> {
  try {
    const response = await fetch(path, { ...init, headers: headers(apiKey, init.body !== undefined) });
    if (response.ok) return (await response.json()) as DemoState;
    return await baseError(response, `The server answered ${response.status}.`);
  } catch {
    return "The server could not be reached.";
  }
}

/** Breaks (answers 500) or heals a provider's local stand-in; a string is what went wrong. */
export function setBroken(provider: string, broken: boolean, apiKey: string): Promise<DemoState | string> {
  return demoCall(`/v1/local/demo/providers/${encodeURIComponent(provider)}/${broken ? "break" : "heal"}`, apiKey,
    { method: "POST" });
}

export function setTraffic(perSecond: number, apiKey: string): Promise<DemoState | string> {
  return demoCall("/v1/local/demo/traffic", apiKey, { method: "PUT", body: JSON.stringify({ perSecond }) });
}

/** GET /v1/admin/overview/history: each provider's cumulative deliveries per snapshot, oldest first. */
export interface OverviewHistory {
  windowSeconds: number;
  samples: { at: string; providers: Record<string, { delivered: number; at: string }> }[];
}

export async function fetchHistory(apiKey: string): Promise<OverviewHistory | null> {
  try {
    const response = await fetch("/v1/admin/overview/history", { headers: headers(apiKey) });
    return response.ok ? ((await response.json()) as OverviewHistory) : null;
  } catch {
    return null;
  }
}

/** An operator call's answer: the value, or what went wrong in words. */
export type Answer<T> = { ok: true; value: T } | { ok: false; message: string };

async function call<T>(path: string, apiKey: string, init: RequestInit = {}): Promise<Answer<T>> {
  try {
    const response = await fetch(path, { ...init, headers: headers(apiKey, init.body !== undefined) });
    // 204 (a removal) has no body to read.
    if (response.status === 204) return { ok: true, value: undefined as T };
    if (response.ok) return { ok: true, value: (await response.json()) as T };
    return { ok: false, message: await baseError(response, `The server answered ${response.status}.`) };
  } catch {
    return { ok: false, message: "The server could not be reached." };
  }
}

/**
 * Pauses a channel or provider (the same switch as `herald pause --reason`); answers the pauses now
 * in force. An empty reason is left out.
 */
export function pause(scope: "channel" | "provider", name: string, apiKey: string, reason = "") {
  const why = reason.trim();
  return call<{ pauses: PauseOverview[] }>("/v1/admin/pauses", apiKey,
    { method: "POST", body: JSON.stringify(why ? { scope, name, reason: why } : { scope, name }) });
}

export function resume(scope: "channel" | "provider", name: string, apiKey: string) {
  return call<{ pauses: PauseOverview[] }>(
    `/v1/admin/pauses/${encodeURIComponent(scope)}/${encodeURIComponent(name)}`, apiKey, { method: "DELETE" });
}

/** The filters `herald dlq redrive --filter` takes; empty ones select everything. */
export interface DeadLetterFilter {
  channel: string;
  provider: string;
  reason: string;
}

export interface ListedDeadLetter {
  id: string;
  messageId: string;
  channel: string | null;
  target: string | null;
  provider: string | null;
  reason: string;
  queue: string;
  deadLetterQueue: string;
  deadLetteredAt: string;
}

export interface ShownDeadLetter extends ListedDeadLetter {
  body: string;
}

export interface RedriveResult {
  examined: number;
  matched: number;
  moved: number;
  failed: number;
  doubled: number;
  returned: number;
  dryRun: boolean;
}

function filterQuery(filter: DeadLetterFilter): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value.trim()) query.set(key, value.trim());
  const text = query.toString();
  return text ? "?" + text : "";
}

export function listDeadLetters(filter: DeadLetterFilter, apiKey: string) {
  return call<{ deadLetters: ListedDeadLetter[]; more: boolean }>(
    "/v1/admin/dead-letters" + filterQuery(filter), apiKey);
}

export function showDeadLetter(id: string, apiKey: string) {
  return call<ShownDeadLetter>(`/v1/admin/dead-letters/${encodeURIComponent(id)}`, apiKey);
}

export function redrive(filter: DeadLetterFilter, dryRun: boolean, apiKey: string) {
  const body: Record<string, string | boolean> = { dryRun };
  for (const [key, value] of Object.entries(filter)) if (value.trim()) body[key] = value.trim();
  return call<RedriveResult>("/v1/admin/dead-letters/redrive", apiKey, { method: "POST", body: JSON.stringify(body) });
}

/** One entry of the suppression list: `*` stops all email to the address, another category only that one. */
export interface SuppressionEntry {
  address: string;
  category: string;
  reason: string;
  source: string;
  at: string;
}

/** The suppression list, newest first (`herald suppressions list`); one address's entries when given. */
export function listSuppressions(address: string, apiKey: string) {
  const query = address.trim() ? "?address=" + encodeURIComponent(address.trim()) : "";
  return call<{ suppressions: SuppressionEntry[] }>("/v1/admin/suppressions" + query, apiKey);
}

/** Stops all email to the address (`herald suppressions add`). */
export function addSuppression(address: string, reason: string, apiKey: string) {
  return call<SuppressionEntry>("/v1/admin/suppressions", apiKey,
    { method: "POST", body: JSON.stringify({ address: address.trim(), reason: reason.trim() }) });
}

/** Removes every entry of the address (`herald suppressions remove`). */
export function removeSuppression(address: string, apiKey: string) {
  return call<void>(`/v1/admin/suppressions/${encodeURIComponent(address)}`, apiKey, { method: "DELETE" });
}
