import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import { isDisplayStatus } from '@/lib/status';

export interface DashboardFilters {
  team?: string;
  tag?: string;
  status?: string;
}

/** The API's largest page: 200 rows fit a screen's worth of scrolling; 2,000 KPIs stay usable because only the pages asked for are in the DOM. */
export const dashboardPageSize = 200;

export const dashboardQueryOptions = (filters: DashboardFilters) =>
  infiniteQueryOptions({
    queryKey: ['dashboard', filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/dashboard/kpis', {
          params: {
            query: {
              sparkline: 12,
              limit: dashboardPageSize,
              ownerTeamId: filters.team || undefined,
              tag: filters.tag || undefined,
              status: isDisplayStatus(filters.status) ? filters.status : undefined,
              cursor: pageParam,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

/** The dashboard rows of named KPIs (an objective's health metrics and the KPIs feeding its key results). */
export const dashboardRowsQueryOptions = (keys: string[]) =>
  queryOptions({
    queryKey: ['dashboard', 'keys', keys],
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/dashboard/kpis', { params: { query: { keys: keys.join(','), sparkline: 12, limit: dashboardPageSize, includeRetired: true } } })))
        .items,
  });
