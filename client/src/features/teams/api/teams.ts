import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '@/lib/api-client';
import type { Body, Team } from '@/lib/api/types';

/** Every team (an organisation has tens, not thousands): the pages are followed to the end. */
export const teamsQueryOptions = queryOptions({
  queryKey: ['teams'],
  queryFn: async () => {
    const teams: Team[] = [];
    let cursor: string | undefined;
    do {
      const page = await unwrap(api.GET('/api/v1/teams', { params: { query: { limit: 200, cursor } } }));
      teams.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return teams;
  },
  staleTime: 60_000,
});

function useTeamsChanged() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: teamsQueryOptions.queryKey });
}

export function useCreateTeam() {
  const changed = useTeamsChanged();
  return useMutation({
    mutationFn: (body: Body<'CreateTeam'>) => unwrap(api.POST('/api/v1/teams', { body })),
    onSuccess: changed,
  });
}

export function useRenameTeam() {
  const changed = useTeamsChanged();
  return useMutation({
    mutationFn: ({ team, name }: { team: Team; name: string }) =>
      unwrap(
        api.PUT('/api/v1/teams/{teamId}/name', {
          params: { path: { teamId: team.id }, header: { 'If-Match': `"${team.version}"` } },
          body: { name },
        }),
      ),
    onSuccess: changed,
  });
}

export function useMoveTeam() {
  const changed = useTeamsChanged();
  return useMutation({
    mutationFn: ({ team, parentTeamId }: { team: Team; parentTeamId: string | null }) =>
      unwrap(
        api.PUT('/api/v1/teams/{teamId}/parent', {
          params: { path: { teamId: team.id }, header: { 'If-Match': `"${team.version}"` } },
          body: { parentTeamId } as Body<'MoveTeam'>,
        }),
      ),
    onSuccess: changed,
  });
}

export function useDeleteTeam() {
  const changed = useTeamsChanged();
  return useMutation({
    mutationFn: (team: Team) =>
      unwrap(api.DELETE('/api/v1/teams/{teamId}', { params: { path: { teamId: team.id }, header: { 'If-Match': `"${team.version}"` } } })),
    onSuccess: changed,
  });
}
