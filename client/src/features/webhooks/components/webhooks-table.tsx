import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import { Loading } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { eventTypeWord } from '@/lib/events';
import { problemOf } from '@/lib/problem';

import { webhooksQueryOptions } from '../api/webhooks';
import { WebhookState } from './webhook-state';

const formatWords = { standard: 'Standard', slack: 'Slack', teams: 'Teams' } as const;

/** The webhooks the person manages, with their state; each name opens its page (actions and delivery log). */
export function WebhooksTable({ teamName }: { teamName: (id: string) => string }) {
  const webhooks = useQuery(webhooksQueryOptions);
  if (webhooks.isPending) return <Loading what="webhooks" />;
  if (webhooks.isError) return <ProblemAlert problem={problemOf(webhooks.error)} />;
  if (webhooks.data.length === 0) return <p>No webhooks yet.</p>;
  return (
    <table className="webhooks">
      <caption className="visually-hidden">Webhooks</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">URL</th>
          <th scope="col">Format</th>
          <th scope="col">Events</th>
          <th scope="col">Filters</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {webhooks.data.map((w) => (
          <tr key={w.id} data-webhook={w.id}>
            <th scope="row">
              <Link to="/webhooks/$webhookId" params={{ webhookId: w.id }}>
                {w.name}
              </Link>
            </th>
            <td className="url">{w.url}</td>
            <td>{formatWords[w.format]}</td>
            <td>{w.eventTypes.map(eventTypeWord).join('; ')}</td>
            <td>
              <WebhookFilters teams={w.teamIds?.map(teamName)} kpiKeys={w.kpiKeys} statuses={w.statuses} />
            </td>
            <td>
              <WebhookState webhook={w} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WebhookFilters({ teams, kpiKeys, statuses }: { teams?: string[] | null; kpiKeys?: string[] | null; statuses?: string[] | null }) {
  if (!teams?.length && !kpiKeys?.length && !statuses?.length) return <>Everything</>;
  return (
    <>
      {teams?.length ? <div>Teams: {teams.join(', ')}</div> : null}
      {kpiKeys?.length ? <div>KPIs: {kpiKeys.join(', ')}</div> : null}
      {statuses?.length ? <div>Statuses: {statuses.join(', ')}</div> : null}
    </>
  );
}
