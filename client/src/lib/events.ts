import type { WebhookEventType, WebhookStatusFilter } from '@/lib/api/types';

/** The product's event types in words (docs/webhooks.md lists their payloads), for alerts and webhook forms. */
export const eventTypeWords: Record<WebhookEventType, string> = {
  'kpi.status.changed': 'A KPI’s status changed',
  'kpi.late': 'A KPI’s value is late',
  'kpi.value.recorded': 'A KPI value was recorded',
  'keyresult.checkin.created': 'A key result was checked in',
  'keyresult.stale': 'A key result went stale',
  'objective.health.changed': 'An objective’s health changed',
  'cycle.activated': 'A cycle was activated',
  'cycle.closed': 'A cycle was closed',
  'webhook.disabled': 'A webhook was disabled after failures',
};

export const eventTypes = Object.keys(eventTypeWords) as WebhookEventType[];

/** Words for an event type, including ones this client does not know yet (and the test event). */
export function eventTypeWord(type: string): string {
  if (type === 'webhook.test') return 'Test message';
  return (eventTypeWords as Record<string, string>)[type] ?? type;
}

/** Statuses a webhook may filter on: KPI statuses and OKR health. */
export const statusFilterWords: Record<WebhookStatusFilter, string> = {
  onTarget: 'KPI on target',
  atRisk: 'At risk (KPI or OKR)',
  offTarget: 'KPI off target',
  noData: 'KPI without data',
  late: 'KPI late',
  onTrack: 'OKR on track',
  offTrack: 'OKR off track',
  stale: 'Key result stale',
};

export const statusFilters = Object.keys(statusFilterWords) as WebhookStatusFilter[];
