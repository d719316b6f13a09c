import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body, Cycle } from '@/lib/api/types';

/** Every cycle, latest start first (organisations keep a few a year; 200 is years of them). */
export const cyclesQueryOptions = queryOptions({
  queryKey: ['cycles'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/cycles', { params: { query: { limit: 200 } } }))).items,
  staleTime: 30_000,
});

export const nextCycleQueryOptions = queryOptions({
  queryKey: ['cycles', 'next'],
  queryFn: () => unwrap(api.GET('/api/v1/cycles/next')),
});

/**
 * The cycle a page starts on when none is chosen: the active cycle running today, the shortest when several do (the
 * quarter, not the year around it); else the active one that starts next or started last; else the latest.
 */
export function defaultCycle(cycles: readonly Cycle[], today = new Date().toISOString().slice(0, 10)): Cycle | undefined {
  const active = cycles.filter((c) => c.status === 'active');
  const days = (c: Cycle) => Date.parse(c.endDate) - Date.parse(c.startDate);
  const running = active.filter((c) => c.startDate <= today && today <= c.endDate).sort((a, b) => days(a) - days(b));
  const latest = [...active].sort((a, b) => b.startDate.localeCompare(a.startDate));
  return running[0] ?? latest[0] ?? cycles[0];
}

/** Anything OKR-shaped depends on cycles (statuses freeze objectives, scores appear at close). */
export function useOkrsChanged() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['cycles'] }),
      queryClient.invalidateQueries({ queryKey: ['objectives'] }),
      queryClient.invalidateQueries({ queryKey: ['cycle-views'] }),
    ]);
}

export function useCreateCycle() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: (body: Body<'CreateCycle'>) => unwrap(api.POST('/api/v1/cycles', { body })),
    onSuccess: changed,
  });
}

export type CycleAction = 'activate' | 'close' | 'reopen';

/** planning → active, active → closed, closed → active; If-Match with the version read, so a stale page is a 412. */
export function useCycleAction() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ cycle, action }: { cycle: Cycle; action: CycleAction }) => {
      const init = { params: { path: { cycleId: cycle.id }, header: { 'If-Match': `"${cycle.version}"` } } };
      switch (action) {
        case 'activate':
          return unwrap(api.POST('/api/v1/cycles/{cycleId}/activate', init));
        case 'close':
          return unwrap(api.POST('/api/v1/cycles/{cycleId}/close', init));
        case 'reopen':
          return unwrap(api.POST('/api/v1/cycles/{cycleId}/reopen', init));
      }
    },
    onSuccess: changed,
  });
}
