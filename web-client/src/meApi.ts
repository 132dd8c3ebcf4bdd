// The calls of the /#/me page: ask for a link, trade a link for a session, read and save the
// session's user's own preferences. Nothing here throws for an HTTP status.

export interface Session {
  session: string;
  user: string;
  expiresAt: string;
}

export type Answer<T> =
  | { kind: "ok"; value: T }
  | { kind: "none" }
  | { kind: "invalid"; errors: Record<string, string> }
  | { kind: "refused"; message: string }
  | { kind: "failed"; message: string };

async function body(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function errorsOf(answer: Record<string, unknown>): Record<string, string> {
  return (answer.errors as Record<string, string>) ?? {};
}

async function call<T>(path: string, init: RequestInit): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    return { kind: "failed", message: "The server could not be reached. Try again shortly." };
  }
  const answer = await body(response);
  const errors = errorsOf(answer);
  if (response.ok) return { kind: "ok", value: answer as T };
  switch (response.status) {
    case 400:
      return { kind: "invalid", errors };
    case 401:
      return { kind: "refused", message: errors.token ?? errors.base ?? "Not allowed." };
    case 404:
      return { kind: "none" };
    case 503:
      return { kind: "failed", message: errors.base === "Service unavailable" || !errors.base
        ? "The service is unavailable right now. Try again shortly." : errors.base };
    default:
      return { kind: "failed", message: `The server answered ${response.status}.` };
  }
}

const JSON_HEADERS = { "Content-Type": "application/json" };

export function askForLink(user: string): Promise<Answer<{ message: string }>> {
  return call("/v1/me/link", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ user }) });
}

export function openSession(token: string): Promise<Answer<Session>> {
  return call("/v1/me/session", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ token }) });
}

export function readOwn(session: string): Promise<Answer<Record<string, unknown>>> {
  return call("/v1/me/preferences", { headers: { Authorization: "Bearer " + session } });
}

export function saveOwn(session: string, doc: unknown): Promise<Answer<Record<string, unknown>>> {
  return call("/v1/me/preferences", {
    method: "PUT",
    headers: { ...JSON_HEADERS, Authorization: "Bearer " + session },
    body: JSON.stringify(doc),
  });
}
