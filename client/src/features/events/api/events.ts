import { infiniteQueryOptions } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';

const pageSize = 20;

/** A KPI's recorded events, newest occurrence first, a page at a time. */
export const kpiEventsQueryOptions = (idOrKey: string) =>
  infiniteQueryOptions({
    queryKey: ['series', idOrKey, 'events'],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/kpis/{idOrKey}/events', { params: { path: { idOrKey }, query: { limit: pageSize, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
