import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useState } from 'react';

import { setUnauthenticatedHandler } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';

import { createAppRouter } from './router';

export function App() {
  const [{ queryClient, router }] = useState(() => {
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
    return { queryClient, router };
  });
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
