import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { kpiQueryOptions } from '@/features/kpis/api/kpis';
import { KpiForm, type TeamChoice } from '@/features/kpis/components/kpi-form';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { canWrite, canWriteOwned, isAdmin } from '@/lib/permissions';
import { problemOf } from '@/lib/problem';
import { flattenTeams, teamPath } from '@/lib/team-tree';

import { kpiEditRoute } from '../router';

/** The owner teams a person may choose: all for admins, their own teams for editors. */
function useTeamChoices(): { teams: TeamChoice[] | undefined; admin: boolean } {
  const session = useQuery(sessionQueryOptions);
  const teams = useQuery(teamsQueryOptions);
  const user = session.data?.user;
  const admin = isAdmin(user);
  if (!teams.data || !user) return { teams: undefined, admin };
  const all = flattenTeams(teams.data).map(({ team }) => ({ id: team.id, label: teamPath(teams.data, team.id) }));
  return { teams: admin ? all : all.filter((t) => user.teamIds.includes(t.id)), admin };
}

function ReadOnly({ what }: { what: string }) {
  return (
    <p className="alert alert-info" role="status">
      Your role can read KPIs but not {what}. An admin can give you the editor role for your team.
    </p>
  );
}

/** S4: a new KPI. */
export function KpiNewPage() {
  usePageTitle('New KPI');
  const session = useQuery(sessionQueryOptions);
  const navigate = useNavigate();
  const { teams, admin } = useTeamChoices();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/kpis">KPI dashboard</Link> <span aria-hidden="true">›</span> <span aria-current="page">New KPI</span>
      </nav>
      <h1>New KPI</h1>
      {!canWrite(session.data?.user) ? (
        <ReadOnly what="create them" />
      ) : !teams ? (
        <Loading what="teams" />
      ) : (
        <KpiForm teams={teams} allowNoOwner={admin} onSaved={(kpi) => void navigate({ to: '/kpis/$key', params: { key: kpi.key } })} />
      )}
    </>
  );
}

/** S4: edit a KPI, with If-Match from the version read. */
export function KpiEditPage() {
  const { key } = kpiEditRoute.useParams();
  const session = useQuery(sessionQueryOptions);
  const kpi = useQuery({ ...kpiQueryOptions(key), staleTime: Infinity, refetchOnMount: 'always' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { teams, admin } = useTeamChoices();
  usePageTitle(kpi.data ? `Edit ${kpi.data.name}` : 'Edit KPI');

  if (kpi.isPending) return <Loading what="the KPI" />;
  if (kpi.isError) return <ProblemAlert problem={problemOf(kpi.error)} />;
  const k = kpi.data;
  const allowed = canWriteOwned(session.data?.user, k.ownerTeamId);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/kpis">KPI dashboard</Link> <span aria-hidden="true">›</span>{' '}
        <Link to="/kpis/$key" params={{ key: k.key }}>
          {k.name}
        </Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">Edit</span>
      </nav>
      <h1>Edit {k.name}</h1>
      {!allowed ? (
        <ReadOnly what="change this one (it belongs to a team you are not in)" />
      ) : !teams ? (
        <Loading what="teams" />
      ) : (
        <KpiForm
          kpi={k}
          teams={teams}
          allowNoOwner={admin}
          onSaved={(saved) => void navigate({ to: '/kpis/$key', params: { key: saved.key } })}
          onReload={async () => {
            const fresh = await queryClient.fetchQuery({ ...kpiQueryOptions(key), staleTime: 0 });
            return fresh;
          }}
        />
      )}
    </>
  );
}
