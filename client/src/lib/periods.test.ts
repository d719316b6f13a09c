import { describe, expect, it } from 'vitest';

import { isoWeek, lastPeriods, periodHint, periodLabel, periodsBack } from '@/lib/periods';

const at = (iso: string) => new Date(iso);

describe('periodLabel uses the API labels', () => {
  it.each([
    ['hourly', '2026-12-02T07:37:00Z', '2026-12-02T07:00:00Z'],
    ['daily', '2026-12-02T07:37:00Z', '2026-12-02'],
    ['weekly', '2026-12-02T07:37:00Z', '2026-W49'],
    ['monthly', '2026-12-02T07:37:00Z', '2026-12'],
    ['quarterly', '2026-12-02T07:37:00Z', '2026-Q4'],
    ['quarterly', '2026-04-01T00:00:00Z', '2026-Q2'],
    ['yearly', '2026-12-02T07:37:00Z', '2026'],
  ] as const)('%s at %s is %s', (frequency, instant, label) => {
    expect(periodLabel(frequency, at(instant))).toBe(label);
  });
});

describe('isoWeek', () => {
  it('puts early January in the previous year when the week began there', () => {
    expect(isoWeek(at('2027-01-01T00:00:00Z'))).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(at('2026-01-01T00:00:00Z'))).toEqual({ year: 2026, week: 1 });
    expect(isoWeek(at('2024-12-30T00:00:00Z'))).toEqual({ year: 2025, week: 1 });
  });
});

describe('periodsBack', () => {
  it('moves months from the first of the month, so the 31st does not skip February', () => {
    expect(periodLabel('monthly', periodsBack('monthly', at('2026-03-31T12:00:00Z'), 1))).toBe('2026-02');
  });

  it('moves quarters and years by their months', () => {
    expect(periodLabel('quarterly', periodsBack('quarterly', at('2026-02-15T00:00:00Z'), 1))).toBe('2025-Q4');
    expect(periodLabel('yearly', periodsBack('yearly', at('2026-02-15T00:00:00Z'), 3))).toBe('2023');
  });
});

describe('lastPeriods gives a from/to of exactly that many periods', () => {
  it.each([
    ['daily', 30, '2026-11-03', '2026-12-02'],
    ['weekly', 12, '2026-W38', '2026-W49'],
    ['monthly', 12, '2026-01', '2026-12'],
    ['quarterly', 4, '2026-Q1', '2026-Q4'],
    ['hourly', 24, '2026-12-01T08:00:00Z', '2026-12-02T07:00:00Z'],
  ] as const)('%s × %i', (frequency, count, from, to) => {
    expect(lastPeriods(frequency, at('2026-12-02T07:37:00Z'), count)).toEqual({ from, to });
  });

  it('one period is the current one', () => {
    expect(lastPeriods('daily', at('2026-12-02T07:37:00Z'), 1)).toEqual({ from: '2026-12-02', to: '2026-12-02' });
  });
});

describe('periodHint', () => {
  it('names the accepted forms with today as the example', () => {
    expect(periodHint('weekly', at('2026-12-02T07:37:00Z'))).toBe('An ISO week (2026-W49) or any date in it (2026-12-02).');
  });
});
