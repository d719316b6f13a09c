import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, type ImportRequest, postImport, unwrap } from '@/lib/api-client';
import type { ImportReport } from '@/lib/api/types';

export const seriesQueryOptions = (idOrKey: string, range: { from: string; to: string }) =>
  queryOptions({
    queryKey: ['series', idOrKey, range],
    queryFn: () => unwrap(api.GET('/api/v1/kpis/{idOrKey}/measurements', { params: { path: { idOrKey }, query: range } })),
  });

/** How a computed KPI's value for a period came about (or why it has none). */
export const explanationQueryOptions = (idOrKey: string, period: string) =>
  queryOptions({
    queryKey: ['series', idOrKey, 'explanation', period],
    queryFn: () =>
      unwrap(api.GET('/api/v1/kpis/{idOrKey}/measurements/{period}/explain', { params: { path: { idOrKey, period } } })),
  });

export const revisionsQueryOptions = (idOrKey: string, period: string) =>
  queryOptions({
    queryKey: ['series', idOrKey, 'revisions', period],
    queryFn: () =>
      unwrap(api.GET('/api/v1/kpis/{idOrKey}/measurements/{period}/revisions', { params: { path: { idOrKey, period } } })),
  });

function useValuesChanged() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['series'] }),
      queryClient.invalidateQueries({ queryKey: ['dashboard'] }),
      queryClient.invalidateQueries({ queryKey: ['kpis'] }),
    ]);
}

export interface RecordValue {
  period: string;
  /** The value as typed: a JSON number literal (sent verbatim, so every decimal arrives), or a boolean. */
  value: string | boolean;
  note: string;
  idempotencyKey: string;
}

export const jsonNumber = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** One value for one period (an upsert: a period that has a value gets the new one, the old stays in history). */
export function useRecordValue(idOrKey: string) {
  const changed = useValuesChanged();
  return useMutation({
    mutationFn: ({ period, value, note, idempotencyKey }: RecordValue) => {
      const body = { period, value: typeof value === 'boolean' ? value : 0, note: note.trim() || null, source: 'manual' as const };
      return unwrap(
        api.POST('/api/v1/kpis/{idOrKey}/measurements', {
          params: { path: { idOrKey }, header: { 'Idempotency-Key': idempotencyKey } },
          body,
          // JSON.stringify would round what a double cannot hold; the API keeps up to 28 significant digits exactly.
          bodySerializer: (b) => (typeof value === 'boolean' ? JSON.stringify(b) : JSON.stringify({ ...b, value: '\u0000' }).replace('"\\u0000"', value)),
        }),
      );
    },
    onSuccess: changed,
  });
}

export function useDeleteValue(idOrKey: string) {
  const changed = useValuesChanged();
  return useMutation({
    mutationFn: (period: string) => unwrap(api.DELETE('/api/v1/kpis/{idOrKey}/measurements/{period}', { params: { path: { idOrKey, period } } })),
    onSuccess: changed,
  });
}

export type ImportResult = ImportReport;

/** A measurements file, atomic: every line or none. */
export function useImportMeasurements() {
  const changed = useValuesChanged();
  return useMutation({
    mutationFn: (request: ImportRequest) => postImport<ImportResult>('/api/v1/measurements/import', request),
    onSuccess: (result) => (result.committed ? changed() : undefined),
  });
}

/** The export URL for a plain link: the browser downloads it with the session cookie (a GET needs no CSRF echo). */
export function exportUrl(filters: { kpis?: string; from?: string; to?: string; format: 'csv' | 'ndjson' }): string {
  const query = new URLSearchParams();
  if (filters.kpis) query.set('kpis', filters.kpis);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  query.set('format', filters.format);
  return `/api/v1/measurements/export?${query}`;
}
