import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body, User } from '@/lib/api/types';
import { ApiError } from '@/lib/problem';

export const usersQueryOptions = (text: string) =>
  infiniteQueryOptions({
    queryKey: ['users', { text }],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/users', { params: { query: { text: text || undefined, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

export const userQueryOptions = (userId: string) =>
  queryOptions({
    queryKey: ['users', 'one', userId],
    queryFn: () => unwrap(api.GET('/api/v1/users/{userId}', { params: { path: { userId } } })),
    staleTime: 5 * 60_000,
  });

function useUsersChanged() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['users'] });
}

export function useCreateUser() {
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: (body: Body<'CreateUser'>) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: changed,
  });
}

export function useUpdateUser() {
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: ({ user, body }: { user: User; body: Body<'UpdateUser'> }) =>
      unwrap(api.PUT('/api/v1/users/{userId}', { params: { path: { userId: user.id }, header: { 'If-Match': `"${user.version}"` } }, body })),
    onSuccess: changed,
    // After a 412 the list reads the person again; the open form keeps its input and saves over the new version.
    onError: (error) => (error instanceof ApiError && error.problem.status === 412 ? changed() : undefined),
  });
}

export function useSetUserPassword() {
  // A new password is a new version of the person: the list (and an open edit form) must read it again.
  const changed = useUsersChanged();
  return useMutation({
    mutationFn: ({ user, password }: { user: User; password: string }) =>
      unwrap(api.PUT('/api/v1/users/{userId}/password', { params: { path: { userId: user.id } }, body: { password } })),
    onSuccess: changed,
  });
}

export function useChangeOwnPassword() {
  return useMutation({
    mutationFn: (body: Body<'ChangeOwnPassword'>) => unwrap(api.PUT('/api/v1/users/me/password', { body })),
  });
}
