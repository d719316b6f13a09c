import { infiniteQueryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body, Role, Token } from '@/lib/api/types';

export type Scope = Body<'CreateToken'>['scopes'][number];

export const tokensQueryOptions = (all: boolean) =>
  infiniteQueryOptions({
    queryKey: ['tokens', { all }],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/tokens', { params: { query: { all: all || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<'CreateToken'>) => unwrap(api.POST('/api/v1/tokens', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: Token) => unwrap(api.DELETE('/api/v1/tokens/{tokenId}', { params: { path: { tokenId: token.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

/** The scopes a role may hold (the server refuses others with a 403 naming the scope). */
export function scopesFor(role: Role | undefined): { scope: Scope; words: string }[] {
  const read: { scope: Scope; words: string }[] = [
    { scope: 'kpis:read', words: 'read KPIs, values and the dashboard' },
    { scope: 'okrs:read', words: 'read cycles, objectives and key results' },
  ];
  const write: { scope: Scope; words: string }[] = [
    { scope: 'measurements:write', words: 'push and import KPI values' },
    { scope: 'kpis:write', words: 'create and change KPI definitions' },
    { scope: 'okrs:write', words: 'write objectives, key results and check-ins' },
  ];
  if (role === 'admin') return [...read, ...write, { scope: 'admin', words: 'everything, including people, teams and the audit log' }];
  if (role === 'editor') return [...read, ...write];
  return read;
}
