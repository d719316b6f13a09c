import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import {
  receiverQueryOptions,
  receiversQueryOptions,
  serviceAccountsQueryOptions,
  useDeleteReceiver,
  usePatchReceiver,
} from '@/features/integrations/api/integrations';
import { CreateReceiverForm } from '@/features/integrations/components/create-receiver-form';
import { EditReceiverForm } from '@/features/integrations/components/edit-receiver-form';
import { HookUrl } from '@/features/integrations/components/hook-url';
import { ReceiverDeliveries } from '@/features/integrations/components/receiver-deliveries';
import { ReceiverState } from '@/features/integrations/components/receiver-state';
import { ReceiversTable } from '@/features/integrations/components/receivers-table';
import { CreateServiceAccountForm } from '@/features/integrations/components/service-account-form';
import { ServiceAccountSection } from '@/features/integrations/components/service-account-section';
import { TryPayload } from '@/features/integrations/components/try-payload';
import { kpiKeysQueryOptions } from '@/features/kpis/api/kpis';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { dropDraft, hasDraft } from '@/lib/drafts';
import { isAdmin } from '@/lib/permissions';
import { type Problem, problemOf } from '@/lib/problem';
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

/** One receiver: what it feeds, its hook URL, Edit, Enable/Disable and Delete, "Try a payload" and the delivery log. */
export function ReceiverPage() {
  const { receiverId } = receiverRoute.useParams();
  const navigate = useNavigate();
  const session = useQuery(sessionQueryOptions);
  const admin = isAdmin(session.data?.user);
  const query = useQuery({ ...receiverQueryOptions(receiverId), enabled: admin, retry: (count, e) => problemOf(e).status !== 404 && count < 2 });
  const keys = useQuery({ ...kpiKeysQueryOptions, enabled: admin });
  const patch = usePatchReceiver();
  const remove = useDeleteReceiver();
  const [editing, setEditing] = useState(() => hasDraft(`edit-receiver:${receiverId}`));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const receiver = query.data;
  usePageTitle(receiver?.name ?? 'Receiver');
  if (!session.data) return null;
  if (!admin) return <AdminsOnly title="Receiver" />;
  if (query.isPending) return <Loading what="the receiver" />;
  if (query.isError && problemOf(query.error).status !== 404) return <ProblemAlert problem={problemOf(query.error)} />;
  if (!receiver) {
    return (
      <>
        <h1>Receiver not found</h1>
        <p>No receiver has this id: it may have been deleted.</p>
        <p>
          <Link to="/integrations">Back to the integrations</Link>
        </p>
      </>
    );
  }
  const toggle = () => {
    setProblem(undefined);
    patch.mutate(
      { receiverId: receiver.id, version: receiver.version, patch: { enabled: !receiver.enabled } },
      {
        onSuccess: (r) => setMessage(r.enabled ? `${r.name} is enabled: it takes deliveries.` : `${r.name} is disabled: deliveries are refused (403) and logged.`),
        onError: (e) => {
          setProblem(problemOf(e));
          if (problemOf(e).status === 412) void query.refetch();
        },
      },
    );
  };
  const reload = async () => (await query.refetch()).data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/integrations">Integrations</Link> <span aria-hidden="true">›</span> <span aria-current="page">{receiver.name}</span>
      </nav>
      <h1>{receiver.name}</h1>
      <p role="status" className="announce">
        {message}
      </p>
      {problem && (
        <ProblemAlert
          problem={problem}
          messages={problem.status === 412 ? ['This receiver was changed meanwhile by someone else; it has been reloaded. Try again.'] : undefined}
        />
      )}
      <dl className="definition">
        <dt>State</dt>
        <dd>
          <ReceiverState enabled={receiver.enabled} />
        </dd>
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
      {!editing && (
        <div className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" onClick={toggle} disabled={patch.isPending} aria-busy={patch.isPending}>
            {receiver.enabled ? 'Disable' : 'Enable'}
          </button>
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        </div>
      )}
      {editing && (
        <EditReceiverForm
          receiver={receiver}
          kpiKeys={(keys.data ?? []).map((k) => k.key)}
          onReload={reload}
          onCancel={() => setEditing(false)}
          onSaved={(r) => {
            setEditing(false);
            setMessage(`${r.name} is saved.`);
          }}
        />
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${receiver.name}?`}
        confirmLabel="Delete receiver"
        danger
        busy={remove.isPending}
        onClose={() => setConfirmDelete(false)}
        onConfirm={() =>
          remove.mutate(receiver, {
            onSuccess: () => {
              dropDraft(`edit-receiver:${receiver.id}`);
              void navigate({ to: '/integrations' });
            },
            onError: (e) => {
              setConfirmDelete(false);
              setProblem(problemOf(e));
              if (problemOf(e).status === 412) void query.refetch();
            },
          })
        }
      >
        <p>Its hook URL then answers 404 to the provider, and its delivery log goes with it. The events it recorded stay with their KPIs.</p>
      </ConfirmDialog>
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
