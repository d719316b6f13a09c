import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body, Receiver, ReceiverInput, ReceiverPatch, ServiceAccount, ServiceAccountInput, Token } from '@/lib/api/types';

/** Every receiver (an organisation has a handful) and the presets a new one starts from. */
export const receiversQueryOptions = queryOptions({
  queryKey: ['receivers'],
  queryFn: () => unwrap(api.GET('/api/v1/receivers')),
});

/** One receiver, with the version its edits and its deletion name in If-Match. */
export const receiverQueryOptions = (receiverId: string) =>
  queryOptions({
    queryKey: ['receivers', receiverId],
    queryFn: () => unwrap(api.GET('/api/v1/receivers/{receiverId}', { params: { path: { receiverId } } })),
  });

/**
 * Changes some members of a receiver (JSON Merge Patch) with If-Match of the version it was based on: a receiver changed
 * meanwhile is a 412, and nothing is overwritten.
 */
export function usePatchReceiver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ receiverId, version, patch }: { receiverId: string; version: number; patch: ReceiverPatch }) =>
      unwrap(
        api.PATCH('/api/v1/receivers/{receiverId}', {
          params: { path: { receiverId }, header: { 'If-Match': `"${version}"` } },
          body: patch,
          headers: { 'Content-Type': 'application/merge-patch+json' },
        }),
      ),
    onSuccess: (receiver: Receiver) => {
      queryClient.setQueryData(receiverQueryOptions(receiver.id).queryKey, receiver);
      return queryClient.invalidateQueries({ queryKey: ['receivers'], exact: true });
    },
  });
}

/** Deletes a receiver and its delivery log, with If-Match of the version read. */
export function useDeleteReceiver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (receiver: Receiver) =>
      unwrap(api.DELETE('/api/v1/receivers/{receiverId}', { params: { path: { receiverId: receiver.id }, header: { 'If-Match': `"${receiver.version}"` } } })),
    onSuccess: (_, receiver) => {
      queryClient.removeQueries({ queryKey: ['receivers', receiver.id] });
      return queryClient.invalidateQueries({ queryKey: ['receivers'], exact: true });
    },
  });
}

/** The last 100 deliveries of a receiver, newest first. */
export const receiverDeliveriesQueryOptions = (receiverId: string) =>
  queryOptions({
    queryKey: ['receivers', receiverId, 'deliveries'],
    queryFn: () => unwrap(api.GET('/api/v1/receivers/{receiverId}/deliveries', { params: { path: { receiverId } } })),
  });

export function useCreateReceiver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReceiverInput) => unwrap(api.POST('/api/v1/receivers', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['receivers'], exact: true }),
  });
}

/** What a payload would record, recording nothing and logging no delivery. */
export function useTryPayload(receiverId: string) {
  return useMutation({
    mutationFn: (payload: unknown) => unwrap(api.POST('/api/v1/receivers/{receiverId}/try', { params: { path: { receiverId } }, body: payload })),
  });
}

export const serviceAccountsQueryOptions = queryOptions({
  queryKey: ['service-accounts'],
  queryFn: async () => {
    const accounts: ServiceAccount[] = [];
    let cursor: string | undefined;
    do {
      const page = await unwrap(api.GET('/api/v1/service-accounts', { params: { query: { limit: 200, cursor } } }));
      accounts.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && accounts.length < 10_000);
    return accounts;
  },
});

export function useCreateServiceAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ServiceAccountInput) => unwrap(api.POST('/api/v1/service-accounts', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['service-accounts'] }),
  });
}

/** A service account's tokens (the API lists another owner's tokens to admins with userId). */
export const accountTokensQueryOptions = (accountId: string) =>
  queryOptions({
    queryKey: ['tokens', { userId: accountId }],
    queryFn: async () => (await unwrap(api.GET('/api/v1/tokens', { params: { query: { userId: accountId, limit: 200 } } }))).items,
  });

export function useCreateAccountToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<'CreateToken'>) => unwrap(api.POST('/api/v1/tokens', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

/** A new secret under the same public id, with If-Match of the version read: a token changed meanwhile is a 412. */
export function useRotateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: Token) =>
      unwrap(api.POST('/api/v1/tokens/{tokenId}/rotate', { params: { path: { tokenId: token.id }, header: { 'If-Match': `"${token.version}"` } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
}
