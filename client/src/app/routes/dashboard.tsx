import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { Pager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { dashboardPageSize, dashboardQueryOptions } from '@/features/measurements/api/dashboard';
import { DashboardFilters } from '@/features/measurements/components/dashboard-filters';
import { DashboardTable } from '@/features/measurements/components/dashboard-table';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { canWrite } from '@/lib/permissions';
import { problemOf } from '@/lib/problem';
import { statusInfo } from '@/lib/status';
import { flattenTeams, teamPath } from '@/lib/team-tree';

import { dashboardRoute } from '../router';

/** S2: every KPI's latest value, change, target, status and trend; filters in the URL; 50 per page. */
export function DashboardPage() {
  usePageTitle('KPI dashboard');
  const filters = dashboardRoute.useSearch();
  const navigate = useNavigate();
  const session = useQuery(sessionQueryOptions);
  const teams = useQuery(teamsQueryOptions);
  const dashboard = useInfiniteQuery(dashboardQueryOptions(filters));
  // The same array while the rows are unchanged, so that the table is not rendered again when the teams arrive.
  const items = useMemo(() => dashboard.data?.pages.flatMap((p) => p.items) ?? [], [dashboard.data]);
  // The status filter applies within each page of KPIs, so a page can come back short (even empty) while more
  // follow: keep reading until a page's worth is shown or the list ends.
  const [wanted, setWanted] = useState(dashboardPageSize);
  useEffect(() => setWanted(dashboardPageSize), [filters.team, filters.tag, filters.status]);
  const { hasNextPage, isFetching, fetchNextPage } = dashboard;
  useEffect(() => {
    if (hasNextPage && !isFetching && !dashboard.isError && items.length < wanted) void fetchNextPage();
  }, [hasNextPage, isFetching, fetchNextPage, items.length, wanted, dashboard.isError]);
  const filling = hasNextPage && items.length < wanted;
  const tags = [...new Set(items.flatMap((i) => i.tags))].sort();
  const teamChoices = teams.data ? flattenTeams(teams.data).map(({ team }) => ({ id: team.id, label: teamPath(teams.data, team.id) })) : [];
  const filterWords = [
    filters.team && `team ${teamPath(teams.data ?? [], filters.team) || filters.team}`,
    filters.tag && `tag “${filters.tag}”`,
    filters.status && `status ${statusInfo[filters.status as keyof typeof statusInfo]?.word.toLowerCase() ?? filters.status}`,
  ].filter(Boolean);

  return (
    <>
      <div className="page-head">
        <h1>KPI dashboard</h1>
        {canWrite(session.data?.user) && (
          <Link to="/kpis/new" className="button primary">
            New KPI
          </Link>
        )}
      </div>
      <DashboardFilters value={filters} teams={teamChoices} tags={tags} onApply={(next) => void navigate({ to: '/kpis', search: next })} />
      {dashboard.isPending || (filling && items.length === 0) ? (
        <Loading what="KPIs" />
      ) : dashboard.isError ? (
        <ProblemAlert problem={problemOf(dashboard.error)} />
      ) : items.length === 0 ? (
        <p role="status">{filterWords.length ? `No KPI matches ${filterWords.join(', ')}.` : 'No KPIs yet.'}</p>
      ) : (
        <>
          <DashboardTable items={items} />
          <Pager
            shown={items.length}
            noun={items.length === 1 ? 'KPI' : 'KPIs'}
            hasMore={dashboard.hasNextPage}
            loading={dashboard.isFetchingNextPage || filling}
            onMore={() => setWanted(items.length + dashboardPageSize)}
          />
        </>
      )}
    </>
  );
}

/** While a slow first answer is awaited: the page's heading and its loading state, inside the shell. */
export function DashboardPending() {
  usePageTitle('KPI dashboard');
  return (
    <>
      <div className="page-head">
        <h1>KPI dashboard</h1>
      </div>
      <Loading what="KPIs" />
    </>
  );
}
