import { describe, expect, it } from 'vitest';

import type { KeyResult } from '@/lib/api/types';

import { draftOf, keyResultBody } from './key-result-draft';

const typed = (over: Partial<ReturnType<typeof draftOf>>) => ({ ...draftOf(), title: 'Raise the app rating', ...over });

describe('a key result form draft as a request body', () => {
  it('sends a start and a target for a value to reach', () => {
    const { body } = keyResultBody(typed({ startValue: '31', targetValue: '45', comparator: 'greaterThan' }));
    expect(body).toMatchObject({ startValue: 31, targetValue: 45, change: null, comparator: 'greaterThan', currentValue: null });
  });

  it('sends a change in per cent from an entered baseline, reading a typed minus sign', () => {
    const { body } = keyResultBody(typed({ targetKind: 'percent', startValue: '4', changeAmount: '\u221250' }));
    expect(body).toMatchObject({ startValue: 4, targetValue: null, change: { percent: -50 } });
    expect(body?.change).not.toHaveProperty('baselineSource');
  });

  it('asks the server for the baseline of the first check-in or the KPI, with no start value and no current value', () => {
    expect(keyResultBody(typed({ targetKind: 'by', baselineFrom: 'firstCheckIn', changeAmount: '3', currentValue: '9' })).body).toMatchObject({
      startValue: null,
      change: { by: 3, baselineSource: 'firstCheckIn' },
      currentValue: null,
    });
    expect(keyResultBody(typed({ targetKind: 'percent', baselineFrom: 'kpi', kpiKey: 'deployments', changeAmount: '15' })).body).toMatchObject({
      startValue: null,
      change: { percent: 15, baselineSource: 'kpi' },
    });
  });

  it('sends back a baseline the KPI gave when editing, so a new title does not take a new one', () => {
    const kr = {
      id: 'kr',
      title: 'Ship more often',
      type: 'number',
      unit: null,
      startValue: 8,
      targetValue: 12,
      comparator: 'atLeast',
      change: { percent: 50, by: null, baseline: 8, baselineSource: 'kpi' },
      startDate: null,
      dueDate: '2026-11-30',
      timeframeReason: null,
      weight: 1,
      kpiKey: 'deployments',
    } as unknown as KeyResult;
    const draft = draftOf(kr);
    expect(draft).toMatchObject({ targetKind: 'percent', changeAmount: '50', baselineFrom: 'kpi', startValue: '8', dueDate: '2026-11-30' });
    const { body } = keyResultBody({ ...draft, title: 'Deploy more often' }, kr);
    expect(body).toMatchObject({ startValue: 8, change: { percent: 50 }, dueDate: '2026-11-30' });
    expect(body).not.toHaveProperty('currentValue');
  });

  it('names the fields it cannot send', () => {
    expect(keyResultBody(typed({ title: ' ', targetKind: 'percent', baselineFrom: 'kpi', changeAmount: 'x', startDate: '2026-10-10', dueDate: '2026-10-01' })).errors).toEqual({
      title: 'Enter a title.',
      baselineFrom: 'Choose the KPI that feeds it, or another baseline.',
      change: 'Enter a number, such as 42 or -1.5 (with a dot for decimals).',
      dueDate: 'The due date must not be before the start date.',
    });
  });
});
