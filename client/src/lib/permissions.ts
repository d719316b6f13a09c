import type { User as Person } from '@/lib/api/types';

type User = Pick<Person, 'role' | 'teamIds'>;

export const isAdmin = (user: User | undefined) => user?.role === 'admin';

/** Editors and admins write; viewers only read. */
export const canWrite = (user: User | undefined) => user?.role === 'admin' || user?.role === 'editor';

/**
 * Whether the person may change something owned by `ownerTeamId` (a KPI, its values): admins anything, editors what
 * one of their teams owns; a KPI without an owner team is the admins'. The server decides again on every write.
 */
export function canWriteOwned(user: User | undefined, ownerTeamId: string | null | undefined): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role !== 'editor' || !ownerTeamId) return false;
  return (user.teamIds ?? []).includes(ownerTeamId);
}
