import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';

export const followsQueryOptions = queryOptions({
  queryKey: ['follows'],
  queryFn: () => unwrap(api.GET('/api/v1/follows')),
  staleTime: 60_000,
});

export type FollowSubject = { type: 'kpi'; id: string; key: string } | { type: 'objective'; id: string };

/** Follows or stops following; the answer is the caller's follows as they now are, so the cache takes it as it is. */
export function useSetFollow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ subject, follow }: { subject: FollowSubject; follow: boolean }) => {
      if (subject.type === 'kpi') {
        const init = { params: { path: { idOrKey: subject.id } } };
        return unwrap(follow ? api.PUT('/api/v1/follows/kpis/{idOrKey}', init) : api.DELETE('/api/v1/follows/kpis/{idOrKey}', init));
      }
      const init = { params: { path: { objectiveId: subject.id } } };
      return unwrap(follow ? api.PUT('/api/v1/follows/objectives/{objectiveId}', init) : api.DELETE('/api/v1/follows/objectives/{objectiveId}', init));
    },
    onSuccess: (follows) => queryClient.setQueryData(followsQueryOptions.queryKey, follows),
  });
}
