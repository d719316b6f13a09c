import { infiniteQueryOptions } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';

export interface AuditFilters {
  actor?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  /** Dates (YYYY-MM-DD), read as whole UTC days. */
  from?: string;
  to?: string;
}

const dayStart = (date?: string) => (date ? `${date}T00:00:00Z` : undefined);
const dayEnd = (date?: string) => (date ? `${date}T23:59:59.999Z` : undefined);

export const auditQueryOptions = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/audit', {
          params: {
            query: {
              actor: filters.actor || undefined,
              entity: filters.entity || undefined,
              entityId: filters.entityId || undefined,
              action: filters.action || undefined,
              from: dayStart(filters.from),
              to: dayEnd(filters.to),
              limit: 50,
              cursor: pageParam,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
