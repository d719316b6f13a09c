import { QueryClient } from '@tanstack/react-query';

import { ApiError } from '@/lib/problem';

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A 4xx will not change by asking again; a network error or a 503 may.
        retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.problem.status === 0 || error.problem.status >= 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}
