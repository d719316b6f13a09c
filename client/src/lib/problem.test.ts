import { describe, expect, it } from 'vitest';

import { describeProblem, problemFrom, problemToFormErrors } from '@/lib/problem';

const validation = (errors: Record<string, string[]>) => problemFrom(400, { status: 400, title: 'One or more validation errors occurred.', errors, code: 'validation-failed' });

describe('problemToFormErrors', () => {
  const fields = ['key', 'name', 'target.value', 'target.warning', 'tags'];

  it('puts each message at the field its path names', () => {
    const result = problemToFormErrors(validation({ 'target.warning': ['For atLeast, warning must be below value.'], name: ['Name is required.'] }), fields);
    expect(result.fields).toEqual({ 'target.warning': 'For atLeast, warning must be below value.', name: 'Name is required.' });
    expect(result.other).toEqual([]);
  });

  it('maps indexed paths to their list field and joins several messages', () => {
    const result = problemToFormErrors(validation({ 'tags[3]': ['Too long.'], 'tags[0]': ['Empty.'] }), fields);
    expect(result.fields.tags).toBe('Too long. Empty.');
  });

  it('falls back to a parent field, ignoring case', () => {
    expect(problemToFormErrors(validation({ 'Target.Value.x': ['Bad.'] }), fields).fields).toEqual({ 'target.value': 'Bad.' });
  });

  it('keeps messages for fields the form does not have, so nothing is dropped', () => {
    const result = problemToFormErrors(validation({ body: ["'x' is an invalid start of a value. Line 1."], period: ['Not started yet.'] }), fields);
    expect(result.fields).toEqual({});
    expect(result.other).toEqual(["'x' is an invalid start of a value. Line 1.", 'period: Not started yet.']);
  });

  it('explains a problem without field errors in one sentence', () => {
    const result = problemToFormErrors(problemFrom(403, { status: 403, detail: "Your role can't write KPIs of team Sales." }), fields);
    expect(result.other).toEqual(["You are not allowed to do this: Your role can't write KPIs of team Sales."]);
  });
});

describe('problemFrom and describeProblem', () => {
  it('reads Retry-After for 429 and says how long to wait', () => {
    const problem = problemFrom(429, { status: 429, title: 'Too Many Requests' }, new Headers({ 'Retry-After': '60' }));
    expect(problem.retryAfterSeconds).toBe(60);
    expect(describeProblem(problem)).toBe('Too many requests. Wait 1 minute and try again.');
    expect(describeProblem({ ...problem, retryAfterSeconds: 12 })).toBe('Too many requests. Wait 12 seconds and try again.');
  });

  it('tells a stale edit apart from other failures', () => {
    expect(describeProblem({ status: 412 })).toMatch(/changed meanwhile.*reload/i);
    expect(describeProblem({ status: 500 })).toMatch(/server failed/);
    expect(describeProblem({ status: 0 })).toMatch(/could not be reached/);
  });

  it('reads a problem that carries an import report by its detail, not its rows as fields', () => {
    const problem = problemFrom(422, {
      status: 422,
      code: 'unprocessable',
      detail: 'Nothing was stored: 1 rows were refused. See errors.',
      rows: 1,
      errors: [{ line: 2, column: 'kpi', reason: "KPI 'x' was not found." }],
    });
    expect(problem.errors).toBeUndefined();
    expect(problemToFormErrors(problem, ['kpi']).other).toEqual(['Nothing was stored: 1 rows were refused. See errors.']);
  });

  it('keeps a plain-text body as the detail', () => {
    expect(problemFrom(502, 'Bad gateway').detail).toBe('Bad gateway');
  });
});
