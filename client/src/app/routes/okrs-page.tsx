import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';

import { Field } from '@/components/ui/field';
import { Loading, usePageTitle } from '@/components/ui/page-title';
import { QueryPager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { okrListQueryOptions } from '@/features/okrs/api/objectives';
import { ObjectiveCard } from '@/features/okrs/components/objective-card';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { canWrite } from '@/lib/permissions';
import { problemOf } from '@/lib/problem';
import { flattenTeams, teamPath } from '@/lib/team-tree';

import { useChosenCycle } from '../cycle-choice';
import { okrsRoute } from '../router';
import { OwnerName } from './owner-name';

/** S5: my OKRs by default, or a team's, or the whole cycle's, in the cycle chosen in the shell. */
export function OkrsPage() {
  const search = okrsRoute.useSearch();
  const navigate = useNavigate();
  const session = useQuery(sessionQueryOptions);
  const teams = useQuery(teamsQueryOptions);
  const { cycle, cycleId, loading } = useChosenCycle();
  const filters = { cycle: cycleId, team: search.team, all: search.all };
  const list = useInfiniteQuery({ ...okrListQueryOptions(filters), enabled: Boolean(cycleId) });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const view = search.team ? `team:${search.team}` : search.all ? 'all' : 'mine';
  const heading = search.team
    ? `OKRs of ${teams.data ? teamPath(teams.data, search.team) : 'a team'}`
    : search.all
      ? 'All OKRs'
      : 'My OKRs';
  usePageTitle(cycle ? `${heading} · ${cycle.name}` : heading);

  return (
    <>
      <div className="page-head">
        <h1>
          {heading}
          {cycle && <span className="muted"> · {cycle.name}</span>}
        </h1>
        <div className="actions">
          <Link to="/check-in" className="button">
            Weekly check-in
          </Link>
          {canWrite(session.data?.user) && cycle && cycle.status !== 'closed' && (
            <Link to="/objectives/new" search={{ cycle: cycle.id }} className="button primary">
              New objective
            </Link>
          )}
        </div>
      </div>
      <ViewChoice
        value={view}
        teams={teams.data ? flattenTeams(teams.data).map(({ team }) => ({ id: team.id, label: teamPath(teams.data, team.id) })) : []}
        onApply={(next) =>
          void navigate({
            to: '/okrs',
            search: { cycle: search.cycle, ...(next === 'all' ? { all: true } : next.startsWith('team:') ? { team: next.slice(5) } : {}) },
          })
        }
      />
      {loading || (cycleId && list.isPending) ? (
        <Loading what="objectives" />
      ) : !cycleId ? (
        <p role="status">
          No cycle yet. <Link to="/cycles">Cycles</Link> lists them; an admin creates the first.
        </p>
      ) : list.isError ? (
        <ProblemAlert problem={problemOf(list.error)} />
      ) : items.length === 0 ? (
        <p role="status">{view === 'mine' ? `You own no objective and no key result in ${cycle?.name ?? 'this cycle'}.` : `No objectives in ${cycle?.name ?? 'this cycle'}.`}</p>
      ) : (
        <>
          <div className="objective-list">
            {items.map((o) => (
              <ObjectiveCard key={o.id} objective={o} owner={<OwnerName ownerTeamId={o.ownerTeamId} ownerUserId={o.ownerUserId} />} />
            ))}
          </div>
          {list.hasNextPage && <QueryPager query={list} noun="objectives" />}
        </>
      )}
    </>
  );
}

function ViewChoice({ value, teams, onApply }: { value: string; teams: { id: string; label: string }[]; onApply: (view: string) => void }) {
  const [choice, setChoice] = useState(value);
  useEffect(() => setChoice(value), [value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(choice);
  };
  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Choose the objectives">
      <Field label="Show">
        {(c) => (
          <select {...c} name="view" value={choice} onChange={(e) => setChoice(e.target.value)}>
            <option value="mine">My OKRs</option>
            <option value="all">All objectives of the cycle</option>
            {teams.map((t) => (
              <option key={t.id} value={`team:${t.id}`}>
                Team {t.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="filter-actions">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}
