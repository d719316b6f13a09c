import type { Webhook, WebhookDelivery } from '@/lib/api/types';

/** A webhook's state as symbol + word + colour: active, failing (deliveries failing but still sent), disabled. */
export function WebhookState({ webhook }: { webhook: Webhook }) {
  if (!webhook.enabled) return <Badge tone="noData" symbol="⏸" word="Disabled" />;
  if (webhook.consecutiveFailures > 0) return <Badge tone="atRisk" symbol="▲" word={`Failing (${webhook.consecutiveFailures} in a row)`} />;
  return <Badge tone="onTarget" symbol="✓" word="Active" />;
}

const deliveryWords = {
  pending: { tone: 'atRisk', symbol: '◔', word: 'Pending' },
  delivered: { tone: 'onTarget', symbol: '✓', word: 'Delivered' },
  failed: { tone: 'offTarget', symbol: '✕', word: 'Failed' },
} as const;

export function DeliveryStatus({ status }: { status: WebhookDelivery['status'] }) {
  const w = deliveryWords[status];
  return <Badge tone={w.tone} symbol={w.symbol} word={w.word} />;
}

function Badge({ tone, symbol, word }: { tone: 'onTarget' | 'atRisk' | 'offTarget' | 'noData'; symbol: string; word: string }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span aria-hidden="true">{symbol}</span> {word}
    </span>
  );
}
