import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body, ServiceAccount } from '@/lib/api/types';
import { ApiError } from '@/lib/problem';

/** Renames a service account, changes its role or teams, or disables it, with If-Match of the version read. */
export function useUpdateServiceAccount() {
  const queryClient = useQueryClient();
  const changed = () => queryClient.invalidateQueries({ queryKey: ['service-accounts'] });
  return useMutation({
    mutationFn: ({ account, body }: { account: ServiceAccount; body: Body<'UpdateServiceAccount'> }) =>
      unwrap(
        api.PUT('/api/v1/service-accounts/{serviceAccountId}', {
          params: { path: { serviceAccountId: account.id }, header: { 'If-Match': `"${account.version}"` } },
          body,
        }),
      ),
    onSuccess: changed,
    // After a 412 the list reads the account again; the open form keeps its input and saves over the new version.
    onError: (error) => (error instanceof ApiError && error.problem.status === 412 ? changed() : undefined),
  });
}
