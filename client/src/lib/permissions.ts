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

type Owned = { ownerTeamId?: string | null; ownerUserId?: string | null };

function owns(user: Pick<Person, 'teamIds'> & { id?: string }, owned: Owned): boolean {
  return (owned.ownerUserId != null && owned.ownerUserId === user.id) || (owned.ownerTeamId != null && (user.teamIds ?? []).includes(owned.ownerTeamId));
}

/**
 * OKR ownership as docs/okrs.md states it: admins write everything; an editor writes objectives owned by one of their
 * teams or by themself, and key results owned so or belonging to such an objective. The server decides again.
 */
export function canWriteObjective(user: (User & { id?: string }) | undefined, objective: Owned): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'editor' && owns(user, objective);
}

export function canWriteKeyResult(user: (User & { id?: string }) | undefined, objective: Owned, keyResult: Owned): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  return user.role === 'editor' && (owns(user, keyResult) || owns(user, objective));
}
