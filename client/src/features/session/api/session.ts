import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body } from '@/lib/api/types';

/** Who is signed in. Asking also refreshes the XSRF-TOKEN cookie that writes echo. */
export const sessionQueryOptions = queryOptions({
  queryKey: ['session'],
  queryFn: () => unwrap(api.GET('/api/v1/session')),
  staleTime: 5 * 60_000,
  retry: false,
});

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<'SignIn'>) => unwrap(api.POST('/api/v1/session', { body })),
    onSuccess: (session) => {
      // Whatever was cached belonged to whoever was signed in before.
      queryClient.clear();
      queryClient.setQueryData(sessionQueryOptions.queryKey, session);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/session')),
    onSettled: () => {
      queryClient.clear();
      // Drafts belong to the person who typed them.
      for (const key of Object.keys(sessionStorage)) if (key.startsWith('okrkpi:draft:')) sessionStorage.removeItem(key);
    },
  });
}
