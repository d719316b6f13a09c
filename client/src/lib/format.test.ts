import { describe, expect, it } from 'vitest';

import { formatChange, formatDateTime, formatNumber, formatTarget, formatValue, formatWarning, plottable } from '@/lib/format';

describe('formatTarget says the target in words', () => {
  it.each([
    [{ comparator: 'atMost', value: 2 }, 'percentage', '%', '≤ 2 %'],
    [{ comparator: 'atLeast', value: 100 }, 'number', 'units/hour', '≥ 100 units/hour'],
    [{ comparator: 'atLeast', value: 1000000 }, 'currency', 'EUR', '≥ 1,000,000 EUR'],
    [{ comparator: 'between', low: 10, high: 20 }, 'number', null, '10–20'],
    [{ comparator: 'between', low: -1.5, high: 1.5 }, 'number', '°C', '−1.5–1.5 °C'],
    [{ comparator: 'equals', value: 1 }, 'boolean', null, '= Yes'],
    [{ comparator: 'equals', value: 0 }, 'boolean', null, '= No'],
    [{ comparator: 'equals', value: 50 }, 'number', 'score', '= 50 score'],
  ] as const)('%j (%s, %s) → %s', (target, valueType, unit, expected) => {
    expect(formatTarget(target, valueType, unit)).toBe(expected);
  });

  it('names the warning when there is one', () => {
    expect(formatWarning({ comparator: 'atMost', value: 2, warning: 3 }, '%')).toBe('at risk from 3 %');
    expect(formatWarning({ comparator: 'atMost', value: 2 }, '%')).toBeUndefined();
  });
});

describe('formatValue', () => {
  it('groups thousands, keeps decimals, uses a real minus and adds the unit', () => {
    expect(formatValue(1065000, 'currency', 'EUR')).toBe('1,065,000 EUR');
    expect(formatValue(1.4, 'percentage', '%')).toBe('1.4 %');
    expect(formatValue(-0.25, 'number', null)).toBe('−0.25');
    expect(formatValue(0, 'number', 'hours')).toBe('0 hours');
    expect(formatValue(3.14159265, 'number', null)).toBe('3.1416');
  });

  it('says yes or no for boolean KPIs and a dash without a value', () => {
    expect(formatValue(true, 'boolean')).toBe('Yes');
    expect(formatValue(false, 'boolean')).toBe('No');
    expect(formatValue(null, 'number')).toBe('–');
  });

  it('never prints a negative zero', () => {
    expect(formatNumber(-0.00001)).toBe('0');
  });
});

describe('formatChange against the previous period', () => {
  it('shows direction, signed amount and per cent', () => {
    expect(formatChange(-0.2, -12.5)).toEqual({ symbol: '▼', absolute: '−0.2', percent: '−12.5 %', words: 'down 0.2 (12.5 %) on the previous period' });
    expect(formatChange(25000, 2.4)).toMatchObject({ symbol: '▲', absolute: '+25,000', percent: '+2.4 %' });
  });

  it('has no per cent after a zero, and none at all without a change', () => {
    expect(formatChange(5, null)).toMatchObject({ symbol: '▲', absolute: '+5', percent: undefined });
    expect(formatChange(0, 0)).toMatchObject({ symbol: '●', absolute: '0', words: 'unchanged on the previous period' });
    expect(formatChange(null, null)).toBeUndefined();
  });

  it('shows the per cent the API computed against the magnitude of the previous value', () => {
    expect(formatChange(2, 50)?.percent).toBe('+50 %');
  });
});

describe('formatDateTime', () => {
  it('is the same text for everyone (UTC)', () => {
    expect(formatDateTime('2026-12-02T07:37:44.3426045+00:00')).toBe('2 Dec 2026, 07:37 UTC');
    expect(formatDateTime(null)).toBe('–');
  });
});

describe('plottable', () => {
  it('draws numbers as they are, yes/no as 1/0 and anything else as a gap', () => {
    expect([plottable(2.5), plottable(true), plottable(false), plottable(null), plottable('12')]).toEqual([2.5, 1, 0, null, null]);
  });
});
