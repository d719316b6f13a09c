import { describe, expect, it } from 'vitest';

import { canWrite, canWriteOwned, isAdmin } from '@/lib/permissions';

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
