// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';

import { postImport } from '@/lib/api-client';
import type { ImportReport } from '@/lib/api/types';
import { ApiError } from '@/lib/problem';

const file = new File(['kpi,period,value\nno-such-kpi,2026-07-14,1\n'], 'values.csv', { type: 'text/csv' });

function answer(status: number, body: unknown, contentType: string) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } })));
}

describe('postImport', () => {
  it('reads the report that a refused import carries as the members of its 422 problem', async () => {
    answer(422, {
      type: 'https://tools.ietf.org/html/rfc4918#section-11.2',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'Nothing was stored: 1 rows were refused, and the import is atomic (mode=partial stores the others). See errors.',
      code: 'unprocessable',
      traceId: '0HN',
      committed: false,
      dryRun: false,
      mode: 'atomic',
      rows: 1,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 1,
      rounded: 0,
      errors: [{ line: 2, column: 'kpi', reason: "KPI 'no-such-kpi' was not found." }],
      errorCount: 1,
    }, 'application/problem+json');

    const report = await postImport<ImportReport>('/api/v1/measurements/import', { file, contentType: 'text/csv', dryRun: false, idempotencyKey: 'k' });

    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([{ line: 2, column: 'kpi', reason: "KPI 'no-such-kpi' was not found." }]);
  });

  it('turns a 422 problem without a report (a key reused for another file) into an error that says why', async () => {
    answer(422, { status: 422, code: 'unprocessable', traceId: '0HN', detail: 'The Idempotency-Key k was used for another request.' }, 'application/problem+json');

    const refused = postImport<ImportReport>('/api/v1/measurements/import', { file, contentType: 'text/csv', dryRun: false, idempotencyKey: 'k' });

    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ problem: { status: 422, detail: 'The Idempotency-Key k was used for another request.' } });
  });
});
