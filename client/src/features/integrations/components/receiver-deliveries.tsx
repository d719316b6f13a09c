import { useQuery } from '@tanstack/react-query';

import { Loading } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { formatDateTime } from '@/lib/format';
import { problemOf } from '@/lib/problem';

import { receiverDeliveriesQueryOptions } from '../api/integrations';
import { DeliveryOutcome } from './delivery-outcome';

/** The last 100 deliveries to a receiver, newest first: time, the answer's status, outcome and why. */
export function ReceiverDeliveries({ receiverId }: { receiverId: string }) {
  const deliveries = useQuery(receiverDeliveriesQueryOptions(receiverId));
  if (deliveries.isPending) return <Loading what="the delivery log" />;
  if (deliveries.isError) return <ProblemAlert problem={problemOf(deliveries.error)} />;
  if (deliveries.data.length === 0) return <p>No deliveries yet. Point the provider at the hook URL; each delivery shows here.</p>;
  return (
    <table className="receiver-deliveries">
      <caption className="visually-hidden">Deliveries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Status</th>
          <th scope="col">Outcome</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.data.map((d) => (
          <tr key={d.id}>
            <td>{formatDateTime(d.at)}</td>
            <td>{d.status}</td>
            <td>
              <DeliveryOutcome outcome={d.outcome} />
            </td>
            <td>{d.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
