import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';

import { setUnauthenticatedHandler } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';

import { createAppRouter } from './router';

export interface AppParts {
  queryClient: QueryClient;
  router: ReturnType<typeof createAppRouter>;
}

/**
 * The cache and the router, made before React renders anything: the first page's loaders (the session, the page's own
 * queries) start as soon as the script runs rather than after React's first render, and the router's mount sees that
 * load under way and does not start another.
 */
export function startApp(): AppParts {
  const queryClient = createQueryClient();
  const router = createAppRouter(queryClient);
  // Any 401 (a session that ended, a sign-out in another tab) leads to sign-in and back here afterwards. Forms keep
  // their input as drafts in sessionStorage, so nothing typed is lost on the way.
  setUnauthenticatedHandler(() => {
    const location = router.state.location;
    if (location.pathname === '/login') return;
    queryClient.removeQueries({ queryKey: ['session'] });
    void router.navigate({ to: '/login', search: { redirect: location.href === '/' ? undefined : location.href } });
  });
  void router.load();
  return { queryClient, router };
}

export function App({ queryClient, router }: AppParts) {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
