/** What a channel answered: delivered (with the vendor's id, if any) or refused with the vendor's own reason. */
export type SendResult = { ok: true; providerMessageId: string | null } | { ok: false; error: string };

const TIMEOUT_MS = 15_000;
const MAX_ERROR_CHARS = 500;

export type HttpAnswer = { status: number; text: string; json: unknown };

/** Sends one request with a timeout and reads the answer; JSON bodies are parsed, anything else is kept as text. */
export async function httpRequest(
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
): Promise<HttpAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}

export function postJson(url: string, body: unknown): Promise<HttpAnswer> {
  return httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
}

/** A refusal that says what the other side said, cut to a length the log can hold. */
export function failure(error: string): SendResult {
  return { ok: false, error: error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error };
}

export function httpFailure(answer: HttpAnswer): SendResult {
  return failure(`HTTP ${answer.status}: ${answer.text}`);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** A vendor's code or message as text, whatever JSON type it came as. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}
