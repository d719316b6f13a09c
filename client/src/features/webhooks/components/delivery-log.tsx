import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { Loading } from '@/components/ui/page-title';
import { QueryPager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Webhook, WebhookDelivery } from '@/lib/api/types';
import { eventTypeWord } from '@/lib/events';
import { formatDateTime } from '@/lib/format';
import { type Problem, problemOf } from '@/lib/problem';

import { deliveriesQueryOptions, useReplayDelivery } from '../api/webhooks';
import { DeliveryStatus } from './webhook-state';

/** A webhook's deliveries, newest first, each with its attempts on demand and a replay (same webhook-id). */
export function DeliveryLog({ webhook, onAnnounce }: { webhook: Webhook; onAnnounce: (message: string) => void }) {
  const deliveries = useInfiniteQuery(deliveriesQueryOptions(webhook.id));
  const replay = useReplayDelivery();
  const [problem, setProblem] = useState<Problem>();
  if (deliveries.isPending) return <Loading what="the delivery log" />;
  if (deliveries.isError) return <ProblemAlert problem={problemOf(deliveries.error)} />;
  const items = deliveries.data.pages.flatMap((p) => p.items);
  return (
    <>
      {problem && <ProblemAlert problem={problem} />}
      {items.length === 0 ? (
        <p>Nothing sent yet. “Send a test message” shows how the receiver answers.</p>
      ) : (
        <ol className="delivery-log">
          {items.map((d) => (
            <li key={d.id} data-delivery={d.id}>
              <p className="delivery-head">
                <strong>{eventTypeWord(d.eventType)}</strong> <code className="muted">{d.eventType}</code> <DeliveryStatus status={d.status} />{' '}
                <span className="muted">
                  {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'} · queued {formatDateTime(d.createdAt)}
                  {d.deliveredAt && ` · delivered ${formatDateTime(d.deliveredAt)}`}
                  {d.nextAttemptAt && d.status === 'pending' && ` · next attempt ${formatDateTime(d.nextAttemptAt)}`}
                </span>{' '}
                <button
                  type="button"
                  disabled={replay.isPending}
                  aria-label={`Replay ${d.eventType} of ${formatDateTime(d.createdAt)}`}
                  onClick={() =>
                    replay.mutate(
                      { webhook, delivery: d },
                      {
                        onSuccess: () => {
                          setProblem(undefined);
                          onAnnounce(`The ${d.eventType} delivery is sent again with the same webhook-id.`);
                        },
                        onError: (e) => setProblem(problemOf(e)),
                      },
                    )
                  }
                >
                  Replay
                </button>
              </p>
              {d.attemptLog.length > 0 && <Attempts delivery={d} />}
            </li>
          ))}
        </ol>
      )}
      <QueryPager query={deliveries} noun="deliveries" />
    </>
  );
}

function Attempts({ delivery }: { delivery: WebhookDelivery }) {
  return (
    <details>
      <summary>Attempts of this delivery ({delivery.attemptLog.length})</summary>
      <table className="attempts">
        <caption className="visually-hidden">Attempts of the {delivery.eventType} delivery</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Result</th>
            <th scope="col">Status code</th>
            <th scope="col">Latency</th>
            <th scope="col">Answer (first bytes)</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {delivery.attemptLog.map((a) => (
            <tr key={a.number}>
              <td>{a.number}</td>
              <td>{formatDateTime(a.attemptedAt)}</td>
              <td>
                {a.succeeded ? (
                  <span className="badge badge-onTarget">
                    <span aria-hidden="true">✓</span> Succeeded
                  </span>
                ) : (
                  <span className="badge badge-offTarget">
                    <span aria-hidden="true">✕</span> Failed
                  </span>
                )}
              </td>
              <td>{a.statusCode ?? 'no answer'}</td>
              <td>{a.latencyMs} ms</td>
              <td>{a.responseBody && <code className="response">{a.responseBody}</code>}</td>
              <td>{a.error}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
