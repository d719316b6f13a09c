import { describe, expect, it } from 'vitest';

import type { Cycle } from '@/lib/api/types';

import { defaultCycle } from './cycles';

const cycle = (name: string, startDate: string, endDate: string, status: Cycle['status'] = 'active'): Cycle => ({
  id: name,
  name,
  startDate,
  endDate,
  status,
  version: 1,
  createdAt: '',
  updatedAt: '',
});

describe('the cycle OKR pages start on', () => {
  const year = cycle('FY 2026/27', '2026-07-01', '2027-06-30');
  const q3 = cycle('2026-Q3', '2026-07-01', '2026-09-30', 'closed');
  const q4 = cycle('2026-Q4', '2026-10-01', '2026-12-31');
  const next = cycle('2027-Q3', '2027-07-01', '2027-09-30');

  it('is the running quarter rather than the year around it, even when a later cycle is active already', () => {
    expect(defaultCycle([next, q4, q3, year], '2026-12-02')?.name).toBe('2026-Q4');
  });

  it('is the active cycle that started last when none runs today, else the latest', () => {
    expect(defaultCycle([next, q3], '2026-12-02')?.name).toBe('2027-Q3');
    expect(defaultCycle([q3], '2026-12-02')?.name).toBe('2026-Q3');
    expect(defaultCycle([], '2026-12-02')).toBeUndefined();
  });
});
