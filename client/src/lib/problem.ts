/** An RFC 9457 problem as the API sends it, with what the client needs to explain it. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: Record<string, string[]>;
  /** From the Retry-After header of a 429 or 503. */
  retryAfterSeconds?: number;
}

/** Thrown by the API helpers for every non-2xx answer, so TanStack Query sees it as an error. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

export function problemFrom(status: number, body: unknown, headers?: Headers): Problem {
  const problem: Problem = { status };
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.title === 'string') problem.title = b.title;
    if (typeof b.detail === 'string') problem.detail = b.detail;
    if (typeof b.code === 'string') problem.code = b.code;
    // Field errors are a map; a refused import's problem carries its report, whose `errors` is a list of rows.
    if (b.errors && typeof b.errors === 'object' && !Array.isArray(b.errors)) {
      const errors: Record<string, string[]> = {};
      for (const [field, messages] of Object.entries(b.errors as Record<string, unknown>)) {
        errors[field] = Array.isArray(messages) ? messages.map(String) : [String(messages)];
      }
      problem.errors = errors;
    }
  } else if (typeof body === 'string' && body.trim() !== '') {
    problem.detail = body;
  }
  const retryAfter = headers?.get('Retry-After');
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) problem.retryAfterSeconds = Number(retryAfter.trim());
  return problem;
}

export interface FormErrors {
  /** Messages per form field, keyed by the form's own field names. */
  fields: Record<string, string>;
  /** Messages that belong to no field of the form (shown in the summary above it). */
  other: string[];
}

/**
 * Maps a problem's `errors` (keyed by JSON paths such as `target.warning` or `tags[0]`) onto the fields a form has.
 * A path matches a field by its full name, then by its name without an index (`tags[0]` → `tags`), then by its
 * parents (`target.low.value` → `target.low`). Anything unmatched, and a problem without `errors`, goes to `other`,
 * so no message the server sent is ever dropped.
 */
export function problemToFormErrors(problem: Problem, fields: readonly string[]): FormErrors {
  const known = new Set(fields);
  const result: FormErrors = { fields: {}, other: [] };
  const errors = problem.errors ?? {};
  for (const [path, messages] of Object.entries(errors)) {
    const field = matchField(path, known);
    const text = messages.join(' ');
    if (field === undefined) {
      result.other.push(path && path !== 'body' ? `${path}: ${text}` : text);
    } else {
      result.fields[field] = result.fields[field] ? `${result.fields[field]} ${text}` : text;
    }
  }
  if (Object.keys(errors).length === 0) result.other.push(describeProblem(problem));
  return result;
}

function matchField(path: string, known: Set<string>): string | undefined {
  const candidates = [path, path.replace(/\[\d+\]/g, '')];
  const parts = candidates[1]!.split('.');
  for (let i = parts.length - 1; i > 0; i--) candidates.push(parts.slice(0, i).join('.'));
  for (const candidate of candidates) {
    const hit = [...known].find((f) => f.toLowerCase() === candidate.toLowerCase());
    if (hit) return hit;
  }
  return undefined;
}

/** One sentence a person can act on, for any problem. */
export function describeProblem(problem: Problem): string {
  switch (problem.status) {
    case 0:
      return 'The server could not be reached. Check your connection and try again.';
    case 401:
      return problem.detail ?? 'You are not signed in.';
    case 403:
      return `You are not allowed to do this${problem.detail ? `: ${problem.detail}` : '.'}`;
    case 404:
      return problem.detail ?? 'Not found: it may have been deleted.';
    case 409:
      return problem.detail ?? 'This conflicts with the current state; reload and try again.';
    case 412:
      return 'This was changed meanwhile by someone else. Reload to get their version; your input is kept.';
    case 413:
      return problem.detail ?? 'The upload is too large.';
    case 429:
      return `Too many requests. ${waitText(problem.retryAfterSeconds)}`;
    case 503:
      return `The server is busy. ${waitText(problem.retryAfterSeconds)}`;
    default:
      if (problem.status >= 500) return `The server failed (${problem.status}). Try again; if it persists, tell an administrator.`;
      return problem.detail ?? problem.title ?? `The request failed (${problem.status}).`;
  }
}

export function waitText(seconds: number | undefined): string {
  if (seconds === undefined) return 'Wait a moment and try again.';
  if (seconds < 60) return `Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`;
  const minutes = Math.ceil(seconds / 60);
  return `Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return { status: 0, detail: error instanceof Error ? error.message : String(error) };
}
