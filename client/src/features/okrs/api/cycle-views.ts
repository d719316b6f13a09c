import { queryOptions } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { OkrKpiMatrix } from '@/lib/api/types';

// The four reads of a whole cycle; each is one request whatever the cycle's size (docs/okrs.md).
const of = (cycleId: string) => ({ params: { path: { cycleId } } });

export const alignmentQueryOptions = (cycleId: string) =>
  queryOptions({
    queryKey: ['cycle-views', cycleId, 'alignment'],
    queryFn: () => unwrap(api.GET('/api/v1/cycles/{cycleId}/alignment', of(cycleId))),
  });

export const matrixQueryOptions = (cycleId: string) =>
  queryOptions({
    queryKey: ['cycle-views', cycleId, 'matrix'],
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/cycles/{cycleId}/matrix', { params: { path: { cycleId }, query: { format: 'json' } } }))) as OkrKpiMatrix,
  });

export const evaluationQueryOptions = (cycleId: string) =>
  queryOptions({
    queryKey: ['cycle-views', cycleId, 'evaluation'],
    queryFn: () => unwrap(api.GET('/api/v1/cycles/{cycleId}/evaluation', of(cycleId))),
  });

export const healthCheckQueryOptions = (cycleId: string) =>
  queryOptions({
    queryKey: ['cycle-views', cycleId, 'health-check'],
    queryFn: () => unwrap(api.GET('/api/v1/cycles/{cycleId}/health-check', of(cycleId))),
  });

/** The matrix of every cycle within from..to (days), oldest first; closed cycles with their KPIs as of their end. */
export const matrixAcrossQueryOptions = (from: string, to: string) =>
  queryOptions({
    queryKey: ['cycle-views', 'across', from, to, 'matrix'],
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/cycles/matrix', { params: { query: { from, to, format: 'json' } } }))) as { from: string; to: string; cycles: OkrKpiMatrix[] },
  });

export const matrixAcrossCsvUrl = (from: string, to: string) => `/api/v1/cycles/matrix?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&format=csv`;

/** A plain link: the browser downloads the CSV with the session cookie (a GET needs no CSRF echo). */
export const matrixCsvUrl = (cycleId: string) => `/api/v1/cycles/${encodeURIComponent(cycleId)}/matrix?format=csv`;
