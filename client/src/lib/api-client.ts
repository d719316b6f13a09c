import createClient, { type Middleware } from 'openapi-fetch';

import type { paths } from '@/lib/api/schema';
import { ApiError, problemFrom } from '@/lib/problem';

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

let onUnauthenticated: () => void = () => {};

/** The app decides where a 401 leads (the sign-in page, remembering where the person was). */
export function setUnauthenticatedHandler(handler: () => void) {
  onUnauthenticated = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    // The session cookie is HttpOnly and SameSite=Strict; CSRF protection is the echo of the readable XSRF-TOKEN
    // cookie, which GET /api/v1/session refreshes.
    if (unsafe.has(request.method)) {
      const token = readCookie('XSRF-TOKEN');
      if (token) request.headers.set('X-XSRF-TOKEN', token);
    }
    return request;
  },
  onResponse({ request, response }) {
    const signingIn = new URL(request.url).pathname === '/api/v1/session' && request.method === 'POST';
    if (response.status === 401 && !signingIn) onUnauthenticated();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(session);

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer; any other answer becomes an ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (error) {
    throw new ApiError({ status: 0, detail: error instanceof Error ? error.message : String(error) });
  }
  if (!result.response.ok) throw new ApiError(problemFrom(result.response.status, result.error, result.response.headers));
  return result.data as T;
}

/** For the few calls whose body is not JSON (imports): the same cookies, CSRF echo and 401 handling as `api`. */
export async function send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  const method = (init.method ?? 'GET').toUpperCase();
  if (unsafe.has(method)) {
    const token = readCookie('XSRF-TOKEN');
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch (error) {
    throw new ApiError({ status: 0, detail: error instanceof Error ? error.message : String(error) });
  }
  if (response.status === 401) onUnauthenticated();
  return response;
}

export interface ImportRequest {
  file: File;
  contentType: string;
  dryRun: boolean;
  /** Only for the import itself: a dry run changes nothing, so it needs no key. */
  idempotencyKey?: string;
}

/**
 * A CSV or NDJSON file streamed as the body of an import endpoint (openapi-fetch serialises JSON only). A 200 and a
 * 422 (refused lines, nothing stored) both carry the per-line report: the 422 is a problem (application/problem+json)
 * whose extension members are the report. Anything else, a 422 without a report included, is an ApiError.
 */
export async function postImport<T extends { rows: number }>(path: '/api/v1/measurements/import' | '/api/v1/kpis/import', request: ImportRequest): Promise<T> {
  const response = await send(`${path}${request.dryRun ? '?dryRun=true' : ''}`, {
    method: 'POST',
    body: request.file,
    headers: { 'Content-Type': request.contentType, ...(request.idempotencyKey ? { 'Idempotency-Key': request.idempotencyKey } : {}) },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if ((response.ok || response.status === 422) && body && typeof body === 'object' && 'rows' in body) return body as T;
  throw new ApiError(problemFrom(response.status, body, response.headers));
}

/** A fresh key per logical request: a retry of the same submission reuses it, a new submission gets a new one. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts (HTTPS, localhost); getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
