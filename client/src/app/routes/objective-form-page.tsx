import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { kpiKeysQueryOptions } from '@/features/kpis/api/kpis';
import { cyclesQueryOptions, defaultCycle } from '@/features/okrs/api/cycles';
import { alignableQueryOptions, objectiveQueryOptions } from '@/features/okrs/api/objectives';
import { ObjectiveForm, type ObjectiveFormChoices } from '@/features/okrs/components/objective-form';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import type { Cycle, Objective } from '@/lib/api/types';
import { canWrite } from '@/lib/permissions';
import { problemOf } from '@/lib/problem';
import { flattenTeams, teamPath } from '@/lib/team-tree';

import { objectiveEditRoute, objectiveNewRoute } from '../router';

/** Cycles whose dates contain this one's (itself included): where an objective may find its parent. */
function enclosing(cycles: Cycle[], cycleId: string): Cycle[] {
  const own = cycles.find((c) => c.id === cycleId);
  if (!own) return [];
  return cycles.filter((c) => c.startDate <= own.startDate && c.endDate >= own.endDate);
}

function useChoices(cycleId: string | undefined): { choices?: ObjectiveFormChoices; error?: unknown; me?: string } {
  const session = useQuery(sessionQueryOptions);
  const cycles = useQuery(cyclesQueryOptions);
  const teams = useQuery(teamsQueryOptions);
  const kpis = useQuery(kpiKeysQueryOptions);
  const around = cycles.data && cycleId ? enclosing(cycles.data, cycleId) : [];
  const parents = useQuery({ ...alignableQueryOptions(around.map((c) => c.id)), enabled: around.length > 0 });
  const user = session.data?.user;
  const error = cycles.error ?? teams.error ?? kpis.error ?? parents.error;
  if (error) return { error };
  if (!user || !cycles.data || !teams.data || !kpis.data || (around.length > 0 && !parents.data)) return {};
  const names = new Map(cycles.data.map((c) => [c.id, c.name]));
  const writable = flattenTeams(teams.data).filter(({ team }) => user.role === 'admin' || (user.teamIds ?? []).includes(team.id));
  return {
    me: `user:${user.id}`,
    choices: {
      cycles: cycles.data,
      owners: [
        ...writable.map(({ team }) => ({ value: `team:${team.id}`, label: `Team ${teamPath(teams.data, team.id)}` })),
        { value: `user:${user.id}`, label: `Me (${user.displayName})` },
      ],
      parents: (parents.data ?? []).map((o) => ({ id: o.id, title: o.title, cycleName: names.get(o.cycleId) ?? '' })),
      kpis: kpis.data.filter((k) => k.status === 'active'),
    },
  };
}

export function ObjectiveNewPage() {
  usePageTitle('New objective');
  const search = objectiveNewRoute.useSearch();
  const navigate = useNavigate();
  const session = useQuery(sessionQueryOptions);
  const cycles = useQuery(cyclesQueryOptions);
  const [cycleId, setCycleId] = useState<string | undefined>(search.cycle);
  const effective = cycleId ?? (cycles.data ? defaultCycle(cycles.data.filter((c) => c.status !== 'closed'))?.id : undefined);
  const { choices, error, me } = useChoices(effective);
  if (session.data && !canWrite(session.data.user)) return <p role="alert">Only editors and admins write objectives.</p>;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/okrs">OKRs</Link> › New objective
      </p>
      <h1>New objective</h1>
      {error ? (
        <ProblemAlert problem={problemOf(error)} />
      ) : !choices || !effective ? (
        <Loading what="the form" />
      ) : (
        <ObjectiveForm
          initial={{ cycleId: effective, owner: choices.owners[0]?.value ?? me!, parentObjectiveId: search.parent }}
          choices={choices}
          onCycle={setCycleId}
          onSaved={(saved) => void navigate({ to: '/objectives/$objectiveId', params: { objectiveId: saved.id } })}
        />
      )}
    </>
  );
}

export function ObjectiveEditPage() {
  const { objectiveId } = objectiveEditRoute.useParams();
  const navigate = useNavigate();
  const objective = useQuery(objectiveQueryOptions(objectiveId));
  const { choices, error, me } = useChoices(objective.data?.cycleId);
  usePageTitle(objective.data ? `Edit ${objective.data.title}` : 'Edit objective');
  const failure = objective.error ?? error;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/okrs">OKRs</Link> ›{' '}
        {objective.data && (
          <Link to="/objectives/$objectiveId" params={{ objectiveId }}>
            {objective.data.title}
          </Link>
        )}
      </p>
      <h1>Edit objective</h1>
      {failure ? (
        <ProblemAlert problem={problemOf(failure)} />
      ) : !choices || !objective.data ? (
        <Loading what="the objective" />
      ) : (
        <ObjectiveForm
          objective={objective.data}
          initial={{ cycleId: objective.data.cycleId, owner: me! }}
          choices={withCurrentOwner(choices, objective.data)}
          onSaved={(saved) => void navigate({ to: '/objectives/$objectiveId', params: { objectiveId: saved.id } })}
        />
      )}
    </>
  );
}

/** An admin's objective owned by someone else keeps its owner as a choice (the select must show it). */
function withCurrentOwner(choices: ObjectiveFormChoices, objective: Objective): ObjectiveFormChoices {
  const current = objective.ownerTeamId ? `team:${objective.ownerTeamId}` : `user:${objective.ownerUserId}`;
  if (choices.owners.some((o) => o.value === current)) return choices;
  return { ...choices, owners: [{ value: current, label: 'The current owner' }, ...choices.owners] };
}
