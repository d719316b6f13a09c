import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import type { Receiver } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';

import { receiverDeliveriesQueryOptions } from '../api/integrations';
import { DeliveryOutcome } from './delivery-outcome';
import { ReceiverState } from './receiver-state';

/** Receivers with their preset, the KPIs they feed and how the last delivery went. */
export function ReceiversTable({ receivers }: { receivers: Receiver[] }) {
  if (receivers.length === 0) return <p>No receivers yet. Create one below for Azure DevOps, Jira or any system that can post JSON.</p>;
  return (
    <table className="receivers">
      <caption className="visually-hidden">Receivers</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Preset</th>
          <th scope="col">KPIs</th>
          <th scope="col">Last delivery</th>
        </tr>
      </thead>
      <tbody>
        {receivers.map((r) => (
          <tr key={r.id} data-receiver={r.id}>
            <th scope="row">
              <Link to="/integrations/receivers/$receiverId" params={{ receiverId: r.id }}>
                {r.name}
              </Link>
              {!r.enabled && (
                <>
                  {' '}
                  <ReceiverState enabled={false} />
                </>
              )}
            </th>
            <td>
              <code>{r.preset}</code>
            </td>
            <td>{[...new Set(r.definition.outputs.map((o) => o.kpi))].join(', ')}</td>
            <td>
              <LastDelivery receiverId={r.id} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LastDelivery({ receiverId }: { receiverId: string }) {
  const deliveries = useQuery(receiverDeliveriesQueryOptions(receiverId));
  if (deliveries.isPending) return <span className="muted">Reading…</span>;
  if (deliveries.isError) return <span className="muted">Not readable</span>;
  const last = deliveries.data[0];
  if (!last) return <span className="muted">None yet</span>;
  return (
    <>
      <DeliveryOutcome outcome={last.outcome} /> <span className="muted">{formatDateTime(last.at)}</span>
    </>
  );
}
