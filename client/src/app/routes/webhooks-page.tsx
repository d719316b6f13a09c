import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { kpiKeysQueryOptions } from '@/features/kpis/api/kpis';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { webhookQueryOptions } from '@/features/webhooks/api/webhooks';
import { CreateWebhookForm } from '@/features/webhooks/components/create-webhook-form';
import { DeliveryLog } from '@/features/webhooks/components/delivery-log';
import { WebhookActions } from '@/features/webhooks/components/webhook-actions';
import { WebhookState } from '@/features/webhooks/components/webhook-state';
import { WebhookFilters, WebhooksTable } from '@/features/webhooks/components/webhooks-table';
import { eventTypeWord } from '@/lib/events';
import { formatDateTime } from '@/lib/format';
import { canWrite, isAdmin } from '@/lib/permissions';
import { problemOf } from '@/lib/problem';
import { teamPath } from '@/lib/team-tree';

import { webhookRoute } from '../router';

/** Webhooks (editors: filtering on their teams; admins: all): the list with states, and a new webhook. */
export function WebhooksPage() {
  usePageTitle('Webhooks');
  const session = useQuery(sessionQueryOptions);
  const teams = useQuery(teamsQueryOptions);
  const keys = useQuery(kpiKeysQueryOptions);
  const user = session.data?.user;
  if (!user) return null;
  if (!canWrite(user)) {
    return (
      <>
        <h1>Webhooks</h1>
        <p>Editors and admins manage webhooks. Ask one of them to send your team's events to Slack, Teams or another system.</p>
      </>
    );
  }
  const allTeams = teams.data ?? [];
  const mine = isAdmin(user) ? allTeams : allTeams.filter((t) => (user.teamIds ?? []).includes(t.id));
  const name = (id: string) => teamPath(allTeams, id) || id;
  return (
    <>
      <h1>Webhooks</h1>
      <p className="help">
        {isAdmin(user) ? 'Every webhook of the organisation.' : 'The webhooks filtering on your teams.'} Open one for its delivery log, a test message, its
        secret and its state.
      </p>
      <WebhooksTable teamName={name} />
      <CreateWebhookForm
        teams={mine.map((t) => ({ id: t.id, name: name(t.id) }))}
        teamRequired={!isAdmin(user)}
        kpiKeys={(keys.data ?? []).map((k) => k.key)}
      />
    </>
  );
}

/** One webhook: what it sends where, its actions, and its delivery log with attempts and replay. */
export function WebhookPage() {
  const { webhookId } = webhookRoute.useParams();
  const webhook = useQuery(webhookQueryOptions(webhookId));
  const teams = useQuery(teamsQueryOptions);
  const navigate = useNavigate();
  const [message, setMessage] = useState('');
  usePageTitle(webhook.data?.name ?? 'Webhook');
  if (webhook.isPending) return <Loading what="the webhook" />;
  if (webhook.isError) {
    const problem = problemOf(webhook.error);
    return (
      <>
        <h1>{problem.status === 404 ? 'Webhook not found' : 'Webhook'}</h1>
        <ProblemAlert problem={problem} messages={problem.status === 404 ? ['No webhook of yours has this id; it may have been deleted.'] : undefined} />
        <p>
          <Link to="/webhooks">Back to the webhooks</Link>
        </p>
      </>
    );
  }
  const w = webhook.data;
  const teamName = (id: string) => teamPath(teams.data ?? [], id) || id;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/webhooks">Webhooks</Link> <span aria-hidden="true">›</span> <span aria-current="page">{w.name}</span>
      </nav>
      <h1>
        {w.name} <WebhookState webhook={w} />
      </h1>
      <p role="status" className="announce">
        {message}
      </p>
      <dl className="definition">
        <dt>URL</dt>
        <dd className="url">{w.url}</dd>
        <dt>Format</dt>
        <dd>{w.format}</dd>
        <dt>Events</dt>
        <dd>{w.eventTypes.map(eventTypeWord).join('; ')}</dd>
        <dt>Filters</dt>
        <dd>
          <WebhookFilters teams={w.teamIds?.map(teamName)} kpiKeys={w.kpiKeys} statuses={w.statuses} />
        </dd>
        {w.disabledReason && (
          <>
            <dt>Why disabled</dt>
            <dd>{w.disabledReason}</dd>
          </>
        )}
        {w.previousSecretExpiresAt && Date.parse(w.previousSecretExpiresAt) > Date.now() && (
          <>
            <dt>Secret rotation</dt>
            <dd>The previous secret still signs until {formatDateTime(w.previousSecretExpiresAt)}.</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatDateTime(w.createdAt)}</dd>
      </dl>
      <WebhookActions webhook={w} onAnnounce={setMessage} onDeleted={() => void navigate({ to: '/webhooks' })} />
      <h2>Delivery log</h2>
      <DeliveryLog webhook={w} onAnnounce={setMessage} />
    </>
  );
}
