import { describe, expect, it } from 'vitest';

import type { Kpi } from '@/lib/api/types';

import { emptyKpiForm, formToKpiInput, kpiToForm } from './kpi-form-values';

describe('KPI form values', () => {
  it('sends only the target numbers the comparator uses', () => {
    const values = { ...emptyKpiForm('team-1'), key: ' defect-rate ', name: 'Defect rate', 'target.comparator': 'atMost' as const, 'target.value': '2', 'target.low': '1', 'target.warning': '3', tags: 'quality; manufacturing, ,line-3' };
    expect(formToKpiInput(values)).toEqual({
      input: {
        key: 'defect-rate',
        name: 'Defect rate',
        description: null,
        formula: null,
        unit: null,
        valueType: 'number',
        frequency: 'daily',
        target: { comparator: 'atMost', value: 2, low: null, high: null, warning: 3 },
        ownerTeamId: 'team-1',
        tags: ['quality', 'manufacturing', 'line-3'],
        aggregation: 'last',
        fedBy: 'values',
      },
    });
  });

  it('uses low and high for between', () => {
    const values = { ...emptyKpiForm(), 'target.comparator': 'between' as const, 'target.value': '9', 'target.low': '10', 'target.high': '20' };
    const result = formToKpiInput(values);
    expect('input' in result && result.input.target).toEqual({ comparator: 'between', value: null, low: 10, high: 20, warning: null });
  });

  it('names the fields that are not numbers and accepts a typographic minus', () => {
    expect(formToKpiInput({ ...emptyKpiForm(), 'target.value': '2,5', 'target.warning': 'abc' })).toEqual({
      errors: {
        'target.value': 'Enter a number, such as 2 or -0.5 (with a dot for decimals).',
        'target.warning': 'Enter a number, such as 2 or -0.5 (with a dot for decimals).',
      },
    });
    const result = formToKpiInput({ ...emptyKpiForm(), 'target.value': '\u22125' });
    expect('input' in result && result.input.target?.value).toBe(-5);
  });

  it('round-trips a KPI through the form', () => {
    const kpi = {
      id: '1',
      key: 'nps',
      name: 'Net promoter score',
      description: null,
      formula: '% promoters − % detractors',
      unit: 'score',
      valueType: 'number',
      frequency: 'monthly',
      target: { comparator: 'atLeast', value: 45, low: null, high: null, warning: 30 },
      ownerTeamId: 't',
      tags: ['customer'],
      status: 'active',
      hasMeasurements: true,
      version: 3,
      createdAt: '',
      updatedAt: '',
      aggregation: 'average',
      fedBy: 'values',
    } satisfies Kpi;
    const result = formToKpiInput(kpiToForm(kpi));
    expect('input' in result && result.input).toMatchObject({ key: 'nps', formula: '% promoters − % detractors', aggregation: 'average', fedBy: 'values', target: { comparator: 'atLeast', value: 45, warning: 30 }, tags: ['customer'] });
  });
});
