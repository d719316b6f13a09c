import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Webhook, WebhookDelivery, WebhookInput } from '@/lib/api/types';

export const webhooksQueryOptions = queryOptions({
  queryKey: ['webhooks'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/webhooks'))).items,
});

export const webhookQueryOptions = (webhookId: string) =>
  queryOptions({
    queryKey: ['webhooks', webhookId],
    queryFn: () => unwrap(api.GET('/api/v1/webhooks/{webhookId}', { params: { path: { webhookId } } })),
  });

/** The delivery log, newest first; while a delivery is pending it is read again every few seconds, so attempts appear as they happen. */
export const deliveriesQueryOptions = (webhookId: string) =>
  infiniteQueryOptions({
    queryKey: ['webhooks', webhookId, 'deliveries'],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/webhooks/{webhookId}/deliveries', { params: { path: { webhookId }, query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.items.some((d) => d.status === 'pending')) ? 3_000 : false),
  });

function useWebhooksChanged() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
}

export function useCreateWebhook() {
  const changed = useWebhooksChanged();
  return useMutation({
    mutationFn: (body: WebhookInput) => unwrap(api.POST('/api/v1/webhooks', { body })),
    onSuccess: changed,
  });
}

const path = (webhook: Webhook) => ({ path: { webhookId: webhook.id } });

/** Pause or resume, with If-Match of the version read: a webhook changed meanwhile (the worker disabling it too) is a 412. */
export function useSetWebhookEnabled() {
  const changed = useWebhooksChanged();
  return useMutation({
    mutationFn: ({ webhook, enabled }: { webhook: Webhook; enabled: boolean }) => {
      const init = { params: { ...path(webhook), header: { 'If-Match': `"${webhook.version}"` } } };
      return unwrap(enabled ? api.POST('/api/v1/webhooks/{webhookId}/enable', init) : api.POST('/api/v1/webhooks/{webhookId}/disable', init));
    },
    onSuccess: changed,
  });
}

export function useRotateWebhookSecret() {
  const changed = useWebhooksChanged();
  return useMutation({
    mutationFn: (webhook: Webhook) => unwrap(api.POST('/api/v1/webhooks/{webhookId}/rotate-secret', { params: path(webhook) })),
    onSuccess: changed,
  });
}

export function useSendTestWebhook() {
  const changed = useWebhooksChanged();
  return useMutation({
    mutationFn: (webhook: Webhook) => unwrap(api.POST('/api/v1/webhooks/{webhookId}/test', { params: path(webhook) })),
    onSuccess: changed,
  });
}

export function useReplayDelivery() {
  const changed = useWebhooksChanged();
  return useMutation({
    mutationFn: ({ webhook, delivery }: { webhook: Webhook; delivery: WebhookDelivery }) =>
      unwrap(api.POST('/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/replay', { params: { path: { webhookId: webhook.id, deliveryId: delivery.id } } })),
    onSuccess: changed,
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhook: Webhook) => unwrap(api.DELETE('/api/v1/webhooks/{webhookId}', { params: path(webhook) })),
    onSuccess: (_, webhook) => {
      queryClient.removeQueries({ queryKey: ['webhooks', webhook.id] });
      return queryClient.invalidateQueries({ queryKey: ['webhooks'], exact: true });
    },
  });
}
