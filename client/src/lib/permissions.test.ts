import { describe, expect, it } from 'vitest';

import { canWrite, canWriteKeyResult, canWriteObjective, canWriteOwned, isAdmin } from '@/lib/permissions';

const admin = { role: 'admin' as const, teamIds: [] };
const editor = { role: 'editor' as const, teamIds: ['manufacturing'] };
const viewer = { role: 'viewer' as const, teamIds: ['manufacturing'] };

describe('who sees write controls', () => {
  it('lets admins write anything, editors what their teams own, viewers nothing', () => {
    expect(canWriteOwned(admin, 'sales')).toBe(true);
    expect(canWriteOwned(admin, null)).toBe(true);
    expect(canWriteOwned(editor, 'manufacturing')).toBe(true);
    expect(canWriteOwned(editor, 'sales')).toBe(false);
    expect(canWriteOwned(editor, null)).toBe(false);
    expect(canWriteOwned(viewer, 'manufacturing')).toBe(false);
    expect(canWriteOwned(undefined, 'manufacturing')).toBe(false);
  });

  it('knows writers and admins', () => {
    expect([admin, editor, viewer].map(canWrite)).toEqual([true, true, false]);
    expect([admin, editor, viewer].map(isAdmin)).toEqual([true, false, false]);
  });
});

describe('who writes OKRs', () => {
  const me = { id: 'me', role: 'editor' as const, teamIds: ['engineering'] };
  const engineering = { ownerTeamId: 'engineering', ownerUserId: null };
  const sales = { ownerTeamId: 'sales', ownerUserId: null };
  const mine = { ownerTeamId: null, ownerUserId: 'me' };

  it('lets an editor write objectives of their teams or their own, admins all, viewers none', () => {
    expect([engineering, mine, sales].map((o) => canWriteObjective(me, o))).toEqual([true, true, false]);
    expect(canWriteObjective({ ...admin, id: 'a' }, sales)).toBe(true);
    expect(canWriteObjective({ ...viewer, id: 'me' }, mine)).toBe(false);
  });

  it('lets the owner of one key result write it inside another team’s objective', () => {
    expect(canWriteKeyResult(me, sales, engineering)).toBe(true);
    expect(canWriteKeyResult(me, engineering, sales)).toBe(true);
    expect(canWriteKeyResult(me, sales, sales)).toBe(false);
  });
});
