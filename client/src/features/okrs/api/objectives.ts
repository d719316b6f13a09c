import { infiniteQueryOptions, queryOptions, useMutation } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body, KeyResultInput, KeyResultUpdate, Objective, ObjectiveInput, ObjectiveUpdate } from '@/lib/api/types';

import { useOkrsChanged } from './cycles';

export interface OkrFilters {
  cycle?: string;
  team?: string;
  /** "My OKRs" (the default) or everything of the cycle. */
  all?: boolean;
}

const pageSize = 100;

/** S5's list: "mine" (the person's and their teams' objectives, or those they hold a key result of) or a cycle's, optionally one team's. */
export const okrListQueryOptions = (filters: OkrFilters) =>
  infiniteQueryOptions({
    queryKey: ['objectives', 'list', filters],
    queryFn: ({ pageParam }) =>
      filters.all || filters.team
        ? unwrap(
            api.GET('/api/v1/objectives', {
              params: { query: { cycleId: filters.cycle, ownerTeamId: filters.team, limit: pageSize, cursor: pageParam } },
            }),
          )
        : unwrap(api.GET('/api/v1/okrs/mine', { params: { query: { cycleId: filters.cycle, limit: pageSize, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

/** What the weekly check-in walks through: the person's objectives of every active cycle. */
export const myActiveOkrsQueryOptions = queryOptions({
  queryKey: ['objectives', 'mine', 'active'],
  queryFn: async () => {
    const items: Objective[] = [];
    let cursor: string | undefined;
    do {
      const page = await unwrap(api.GET('/api/v1/okrs/mine', { params: { query: { limit: pageSize, cursor } } }));
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  },
});

export const objectiveQueryOptions = (objectiveId: string) =>
  queryOptions({
    queryKey: ['objectives', 'one', objectiveId],
    queryFn: () => unwrap(api.GET('/api/v1/objectives/{objectiveId}', { params: { path: { objectiveId } } })),
  });

/** The objectives a new one may align to: the cycle's own and those of cycles enclosing it (the server checks again). */
export const alignableQueryOptions = (cycleIds: string[]) =>
  queryOptions({
    queryKey: ['objectives', 'alignable', cycleIds],
    queryFn: async () => {
      const lists = await Promise.all(
        cycleIds.map((cycleId) => unwrap(api.GET('/api/v1/objectives', { params: { query: { cycleId, limit: 200 } } }))),
      );
      return lists.flatMap((l) => l.items);
    },
  });

export const checkInsQueryOptions = (keyResultId: string) =>
  queryOptions({
    queryKey: ['objectives', 'check-ins', keyResultId],
    queryFn: () => unwrap(api.GET('/api/v1/key-results/{keyResultId}/check-ins', { params: { path: { keyResultId }, query: { limit: 50 } } })),
  });

/** What initiatives belong to: a key result or, as many teams plan, an objective as a whole. */
export interface InitiativeOwner {
  of: 'keyResult' | 'objective';
  id: string;
  title: string;
}

export const initiativesQueryOptions = (owner: Pick<InitiativeOwner, 'of' | 'id'>) =>
  queryOptions({
    queryKey: ['objectives', 'initiatives', owner.of, owner.id],
    queryFn: () =>
      owner.of === 'keyResult'
        ? unwrap(api.GET('/api/v1/key-results/{keyResultId}/initiatives', { params: { path: { keyResultId: owner.id } } }))
        : unwrap(api.GET('/api/v1/objectives/{objectiveId}/initiatives', { params: { path: { objectiveId: owner.id } } })),
  });

/** The objectives a KPI is linked to or feeds a key result of (of any cycle). */
export const kpiObjectivesQueryOptions = (kpiKey: string) =>
  queryOptions({
    queryKey: ['objectives', 'kpi', kpiKey],
    queryFn: () => unwrap(api.GET('/api/v1/objectives', { params: { query: { kpiKey, limit: 200 } } })),
  });

/** The objectives aligned to this one (of any cycle). */
export const childrenQueryOptions = (objectiveId: string) =>
  queryOptions({
    queryKey: ['objectives', 'children', objectiveId],
    queryFn: () => unwrap(api.GET('/api/v1/objectives', { params: { query: { parentObjectiveId: objectiveId, limit: 200 } } })),
  });

const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

export function useCreateObjective() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: (body: ObjectiveInput) => unwrap(api.POST('/api/v1/objectives', { body })),
    onSuccess: changed,
  });
}

/** PUT with If-Match: what the body leaves out (alignment included) is cleared, so the form sends all of it. */
export function useUpdateObjective() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ objectiveId, version, body }: { objectiveId: string; version: number; body: ObjectiveUpdate }) =>
      unwrap(api.PUT('/api/v1/objectives/{objectiveId}', { params: { path: { objectiveId }, header: ifMatch(version) }, body })),
    onSuccess: changed,
  });
}

export function useDeleteObjective() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: (objective: Objective) =>
      unwrap(
        api.DELETE('/api/v1/objectives/{objectiveId}', {
          params: { path: { objectiveId: objective.id }, header: ifMatch(objective.version), query: { cascade: objective.keyResults.length > 0 } },
        }),
      ),
    onSuccess: changed,
  });
}

export function useScoreObjective() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ objective, body }: { objective: Objective; body: Body<'ScoreObjective'> }) =>
      unwrap(api.PUT('/api/v1/objectives/{objectiveId}/score', { params: { path: { objectiveId: objective.id }, header: ifMatch(objective.version) }, body })),
    onSuccess: changed,
  });
}

export function useCarryOver() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ objectiveId, body }: { objectiveId: string; body: Body<'CarryOverObjective'> }) =>
      unwrap(api.POST('/api/v1/objectives/{objectiveId}/carry-over', { params: { path: { objectiveId } }, body })),
    onSuccess: changed,
  });
}

export function useCreateKeyResult() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ objectiveId, body }: { objectiveId: string; body: KeyResultInput }) =>
      unwrap(api.POST('/api/v1/objectives/{objectiveId}/key-results', { params: { path: { objectiveId } }, body })),
    onSuccess: changed,
  });
}

export function useUpdateKeyResult() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ keyResultId, version, body }: { keyResultId: string; version: number; body: KeyResultUpdate }) =>
      unwrap(api.PUT('/api/v1/key-results/{keyResultId}', { params: { path: { keyResultId }, header: ifMatch(version) }, body })),
    onSuccess: changed,
  });
}

export function useDeleteKeyResult() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ keyResultId, version }: { keyResultId: string; version: number }) =>
      unwrap(api.DELETE('/api/v1/key-results/{keyResultId}', { params: { path: { keyResultId }, header: ifMatch(version) } })),
    onSuccess: changed,
  });
}

export function useCheckIn() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ keyResultId, body }: { keyResultId: string; body: Body<'CreateCheckIn'> }) =>
      unwrap(api.POST('/api/v1/key-results/{keyResultId}/check-ins', { params: { path: { keyResultId } }, body })),
    onSuccess: changed,
  });
}

export function useCreateInitiative() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ owner, body }: { owner: Pick<InitiativeOwner, 'of' | 'id'>; body: Body<'CreateInitiative'> }) =>
      owner.of === 'keyResult'
        ? unwrap(api.POST('/api/v1/key-results/{keyResultId}/initiatives', { params: { path: { keyResultId: owner.id } }, body }))
        : unwrap(api.POST('/api/v1/objectives/{objectiveId}/initiatives', { params: { path: { objectiveId: owner.id } }, body })),
    onSuccess: changed,
  });
}

export function useUpdateInitiative() {
  const changed = useOkrsChanged();
  return useMutation({
    mutationFn: ({ initiativeId, version, body }: { initiativeId: string; version: number; body: Body<'UpdateInitiative'> }) =>
      unwrap(api.PUT('/api/v1/initiatives/{initiativeId}', { params: { path: { initiativeId }, header: ifMatch(version) }, body })),
    onSuccess: changed,
  });
}
