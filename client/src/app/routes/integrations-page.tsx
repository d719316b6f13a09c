import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { receiversQueryOptions, serviceAccountsQueryOptions } from '@/features/integrations/api/integrations';
import { CreateReceiverForm } from '@/features/integrations/components/create-receiver-form';
import { HookUrl } from '@/features/integrations/components/hook-url';
import { ReceiverDeliveries } from '@/features/integrations/components/receiver-deliveries';
import { ReceiversTable } from '@/features/integrations/components/receivers-table';
import { CreateServiceAccountForm } from '@/features/integrations/components/service-account-form';
import { ServiceAccountSection } from '@/features/integrations/components/service-account-section';
import { TryPayload } from '@/features/integrations/components/try-payload';
import { kpiKeysQueryOptions } from '@/features/kpis/api/kpis';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { isAdmin } from '@/lib/permissions';
import { problemOf } from '@/lib/problem';
import { teamPath } from '@/lib/team-tree';

import { receiverRoute } from '../router';

/** Admins only: the API refuses others with 403, so others get a sentence instead of a failing page. */
function AdminsOnly({ title }: { title: string }) {
  const session = useQuery(sessionQueryOptions);
  const user = session.data?.user;
  if (!user || isAdmin(user)) return null;
  return (
    <>
      <h1>{title}</h1>
      <p>Admins set up integrations. Ask one of them for a receiver or a service account token.</p>
    </>
  );
}

/** Receivers: the list with each one's last delivery, and a new one from a preset. */
export function IntegrationsPage() {
  usePageTitle('Integrations');
  const session = useQuery(sessionQueryOptions);
  const admin = isAdmin(session.data?.user);
  const receivers = useQuery({ ...receiversQueryOptions, enabled: admin });
  const keys = useQuery(kpiKeysQueryOptions);
  if (!session.data) return null;
  if (!admin) return <AdminsOnly title="Integrations" />;
  return (
    <>
      <h1>Integrations</h1>
      <p className="help">
        Receivers turn what Azure DevOps, Jira or a CI pipeline posts into events of KPIs fed by events. They authenticate with tokens of{' '}
        <Link to="/integrations/service-accounts">service accounts</Link>.
      </p>
      <h2>Receivers</h2>
      {receivers.isPending ? (
        <Loading what="receivers" />
      ) : receivers.isError ? (
        <ProblemAlert problem={problemOf(receivers.error)} />
      ) : (
        <>
          <ReceiversTable receivers={receivers.data.items} />
          <CreateReceiverForm presets={receivers.data.presets} kpiKeys={(keys.data ?? []).map((k) => k.key)} />
        </>
      )}
    </>
  );
}

/** One receiver: its hook URL, "Try a payload" and the delivery log. */
export function ReceiverPage() {
  const { receiverId } = receiverRoute.useParams();
  const session = useQuery(sessionQueryOptions);
  const admin = isAdmin(session.data?.user);
  const receivers = useQuery({ ...receiversQueryOptions, enabled: admin });
  const receiver = receivers.data?.items.find((r) => r.id === receiverId);
  usePageTitle(receiver?.name ?? 'Receiver');
  if (!session.data) return null;
  if (!admin) return <AdminsOnly title="Receiver" />;
  if (receivers.isPending) return <Loading what="the receiver" />;
  if (receivers.isError) return <ProblemAlert problem={problemOf(receivers.error)} />;
  if (!receiver) {
    return (
      <>
        <h1>Receiver not found</h1>
        <p>No receiver has this id.</p>
        <p>
          <Link to="/integrations">Back to the integrations</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/integrations">Integrations</Link> <span aria-hidden="true">›</span> <span aria-current="page">{receiver.name}</span>
      </nav>
      <h1>{receiver.name}</h1>
      <dl className="definition">
        <dt>Preset</dt>
        <dd>
          <code>{receiver.preset}</code>
        </dd>
        <dt>Filter</dt>
        <dd>{receiver.definition.filter ? <code>{receiver.definition.filter}</code> : 'none: every payload counts'}</dd>
        <dt>Feeds</dt>
        <dd>
          <ul className="plain">
            {receiver.definition.outputs.map((o, i) => (
              <li key={i}>
                <Link to="/kpis/$key" params={{ key: o.kpi }}>
                  {o.kpi}
                </Link>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <HookUrl receiver={receiver} />
      <TryPayload receiverId={receiver.id} />
      <h2>Delivery log</h2>
      <ReceiverDeliveries receiverId={receiver.id} />
    </>
  );
}

/** Service accounts and, per account, its tokens. */
export function ServiceAccountsPage() {
  usePageTitle('Service accounts');
  const session = useQuery(sessionQueryOptions);
  const admin = isAdmin(session.data?.user);
  const accounts = useQuery({ ...serviceAccountsQueryOptions, enabled: admin });
  const receivers = useQuery({ ...receiversQueryOptions, enabled: admin });
  const teams = useQuery(teamsQueryOptions);
  const [message, setMessage] = useState('');
  if (!session.data) return null;
  if (!admin) return <AdminsOnly title="Service accounts" />;
  const allTeams = teams.data ?? [];
  const teamName = (id: string) => teamPath(allTeams, id) || id;
  const teamChoices = allTeams.map((t) => ({ id: t.id, name: teamName(t.id) }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/integrations">Integrations</Link> <span aria-hidden="true">›</span> <span aria-current="page">Service accounts</span>
      </nav>
      <h1>Service accounts</h1>
      <p role="status" className="announce">
        {message}
      </p>
      {accounts.isPending ? (
        <Loading what="service accounts" />
      ) : accounts.isError ? (
        <ProblemAlert problem={problemOf(accounts.error)} />
      ) : accounts.data.length === 0 ? (
        <p>No service accounts yet.</p>
      ) : (
        accounts.data.map((a) => (
          <ServiceAccountSection key={a.id} account={a} teams={teamChoices} teamName={teamName} receivers={receivers.data?.items ?? []} onAnnounce={setMessage} />
        ))
      )}
      <CreateServiceAccountForm teams={teamChoices} onCreated={setMessage} />
    </>
  );
}
