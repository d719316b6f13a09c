import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Alert } from '@/lib/api/types';

/**
 * The unread count for the bell: one small page, read again every minute and when the tab regains focus, so a new
 * alert shows without a reload (alerts are written by the API's worker, a moment after the change that caused them).
 */
export const unreadAlertsQueryOptions = queryOptions({
  queryKey: ['alerts', 'unread-count'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/alerts', { params: { query: { unread: true, limit: 1 } } }))).unreadCount,
  refetchInterval: 60_000,
  staleTime: 10_000,
});

export const alertsQueryOptions = (unread: boolean) =>
  infiniteQueryOptions({
    queryKey: ['alerts', 'list', { unread }],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/alerts', { params: { query: { unread: unread || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

function useAlertsChanged() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['alerts'] });
}

export function useMarkAlertRead() {
  const changed = useAlertsChanged();
  return useMutation({
    mutationFn: (alert: Alert) => unwrap(api.POST('/api/v1/alerts/{alertId}/read', { params: { path: { alertId: alert.id } } })),
    onSuccess: changed,
  });
}

export function useMarkAllAlertsRead() {
  const changed = useAlertsChanged();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/alerts/read')),
    onSuccess: changed,
  });
}
