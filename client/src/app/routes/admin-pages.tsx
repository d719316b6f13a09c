import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { AuditLog } from '@/features/audit/components/audit-log';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { TeamsAdmin } from '@/features/teams/components/teams-admin';
import { PeopleAdmin } from '@/features/users/components/people-admin';
import { isAdmin } from '@/lib/permissions';
import { flattenTeams, teamPath } from '@/lib/team-tree';

import { auditRoute } from '../router';

function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  const session = useQuery(sessionQueryOptions);
  return (
    <>
      <h1>{title}</h1>
      {isAdmin(session.data?.user) ? (
        children
      ) : (
        <p className="alert alert-info" role="status">
          This page is for admins. Your role does not manage people, teams or the audit log.
        </p>
      )}
    </>
  );
}

export function PeoplePage() {
  const session = useQuery(sessionQueryOptions);
  const teams = useQuery(teamsQueryOptions);
  const [message, setMessage] = useState('');
  return (
    <AdminOnly title="People">
      <p role="status" className="announce">
        {message}
      </p>
      {teams.data ? (
        <PeopleAdmin
          teams={flattenTeams(teams.data).map(({ team }) => ({ id: team.id, label: teamPath(teams.data, team.id) }))}
          me={session.data?.user.id ?? ''}
          onChanged={setMessage}
        />
      ) : (
        <Loading what="teams" />
      )}
    </AdminOnly>
  );
}

export function TeamsPage() {
  return (
    <AdminOnly title="Teams">
      <TeamsAdmin />
    </AdminOnly>
  );
}

export function AuditPage() {
  const filters = auditRoute.useSearch();
  const navigate = useNavigate();
  return (
    <AdminOnly title="Audit log">
      <AuditLog filters={filters} onFilter={(next) => void navigate({ to: '/admin/audit', search: next })} />
    </AdminOnly>
  );
}
