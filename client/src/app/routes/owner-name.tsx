import { useQuery } from '@tanstack/react-query';

import { teamsQueryOptions } from '@/features/teams/api/teams';
import { UserName } from '@/features/users/components/user-name';
import { teamPath } from '@/lib/team-tree';

/** Who owns an objective or key result: a team (by its path, "Acme Corp › Engineering") or a person. */
export function OwnerName({ ownerTeamId, ownerUserId }: { ownerTeamId?: string | null; ownerUserId?: string | null }) {
  const teams = useQuery(teamsQueryOptions);
  if (ownerTeamId) return <>{teams.data ? teamPath(teams.data, ownerTeamId) || 'a team' : '…'}</>;
  if (ownerUserId) return <UserName id={ownerUserId} />;
  return <>nobody</>;
}
