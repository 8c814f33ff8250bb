/**
 * The one way the web app talks to the server: JSON over fetch with the session cookie, the CSRF token on
 * every state-changing request, the current locale in Accept-Language (so server messages come back in the
 * user's language), and responses checked against the shared contracts so a drifted server fails loudly.
 */
import type { Locale } from '@huikuan/core';
import { z } from 'zod';
import { translate } from './i18n';

export type ApiIssue = { path: string; message: string };
export type ApiErrorParams = Record<string, string | number>;

/** Codes the client itself produces, alongside the server's ErrorCode values. */
export type ClientErrorCode = 'network' | 'bad_response';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly params: ApiErrorParams;
  readonly issues: readonly ApiIssue[];
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    params?: ApiErrorParams;
    issues?: readonly ApiIssue[];
    requestId?: string;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.params = init.params ?? {};
    this.issues = init.issues ?? [];
    this.requestId = init.requestId;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});

const state: { csrfToken: string | null; locale: Locale } = { csrfToken: null, locale: 'zh-CN' };

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}

export function setRequestLocale(locale: Locale): void {
  state.locale = locale;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryParams = Record<string, string | number | null | undefined>;

/** Appends the non-empty params as a query string. */
export function withQuery(path: string, params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Extra headers for one request, e.g. the Idempotency-Key of a money-moving POST. */
export type RequestOptions = { headers?: Record<string, string> };

function buildHeaders(method: HttpMethod, hasBody: boolean, extra: Record<string, string> = {}): Headers {
  const headers = new Headers({ ...extra, Accept: 'application/json', 'Accept-Language': state.locale });
  if (hasBody) headers.set('Content-Type', 'application/json');
  if (method !== 'GET' && state.csrfToken !== null) headers.set('X-CSRF-Token', state.csrfToken);
  return headers;
}

async function send(
  method: HttpMethod,
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<Response> {
  const hasBody = body !== undefined;
  try {
    return await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: buildHeaders(method, hasBody, options.headers),
      body: hasBody ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network', message: translate(state.locale, 'errors.network') });
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) return new ApiError({ status: response.status, ...parsed.data.error });
  const message = `${translate(state.locale, 'errors.unexpected')} (HTTP ${response.status})`;
  return new ApiError({
    status: response.status,
    code: response.status >= 500 ? 'internal' : 'bad_response',
    message,
  });
}

export async function apiRequest<S extends z.ZodType>(
  method: HttpMethod,
  path: string,
  schema: S,
  body?: unknown,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  const response = await send(method, path, body, options);
  const data = await readJson(response);
  if (!response.ok) throw toApiError(response, data);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // A response that breaks the shared contract is a bug on one side; say where, then fail visibly.
    console.error(`Response of ${method} ${path} does not match its contract`, parsed.error.issues);
    const message = `${translate(state.locale, 'errors.unexpected')} (${method} ${path})`;
    throw new ApiError({ status: response.status, code: 'bad_response', message });
  }
  return parsed.data;
}

/** For endpoints whose reply the client does not use (deletes, revokes, logout). */
export const anyResponseSchema = z.unknown();
