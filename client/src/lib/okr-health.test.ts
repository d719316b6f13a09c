import { describe, expect, it } from 'vitest';

import { changeText, currentAndTarget, dueThisWeek, feedText, healthInfo, keyResultValue, percent, progressText, timeframeText, weekStart } from '@/lib/okr-health';

describe('progress in words', () => {
  it('says progress and expected progress as whole per cents, as the bar’s text', () => {
    expect(progressText(0.72, 0.68)).toBe('72 %, expected 68 %');
    expect(progressText(0.6759, 0.6793)).toBe('68 %, expected 68 %');
    expect(progressText(1, 1)).toBe('100 %, expected 100 %');
    expect(progressText(0, 0)).toBe('0 %, expected 0 %');
    expect(progressText(0.5, undefined)).toBe('50 %');
  });

  it('rounds half away from zero, as the server rounds its 4 decimals', () => {
    expect(percent(0.125)).toBe(13);
    expect(percent(0.005)).toBe(1);
    expect(percent(0.0049)).toBe(0);
  });

  it('says an objective without key results has no progress, rather than 0 %', () => {
    expect(progressText(null, 0.5)).toBe('No progress yet (no key results)');
  });
});

describe('health in words', () => {
  it('gives every health a distinct symbol and word, never colour alone', () => {
    const entries = Object.values(healthInfo);
    expect(entries.map((h) => h.word)).toEqual(['On track', 'At risk', 'Off track', 'Not started', 'No key results']);
    for (const h of entries) expect(h.symbol).not.toBe('');
    expect(new Set(entries.slice(0, 3).map((h) => h.symbol)).size).toBe(3);
  });
});

describe('key result values', () => {
  const kr = { type: 'percentage' as const, unit: '%', startValue: 40, targetValue: 80, currentValue: 55 };

  it('names the target, which reads right for a decrease too', () => {
    expect(currentAndTarget(kr)).toBe('55 %, target 80 %');
    expect(currentAndTarget({ type: 'number', unit: 'hours', startValue: 72, targetValue: 24, currentValue: 30 })).toBe('30 hours, target 24 hours');
    expect(currentAndTarget({ type: 'currency', unit: 'EUR', startValue: 1e7, targetValue: 1.3e7, currentValue: 11_100_000 })).toBe(
      '11,100,000 EUR, target 13,000,000 EUR',
    );
  });

  it('says a KPI-linked key result without a value has none yet, and a milestone is done or not', () => {
    expect(currentAndTarget({ ...kr, currentValue: null })).toBe('no value yet, target 80 %');
    expect(currentAndTarget({ type: 'milestone', unit: null, startValue: 0, targetValue: 1, currentValue: 1 })).toBe('Done');
    expect(keyResultValue({ type: 'milestone', unit: null }, 0)).toBe('Not done');
  });

  it('says what feeds the current value', () => {
    expect(feedText({ currentValueSource: 'kpi', kpiKey: 'nps' })).toBe('fed by KPI nps');
    expect(feedText({ currentValueSource: 'checkIn', kpiKey: null })).toBe('by check-in');
  });
});

describe('due for the weekly check-in', () => {
  const me = { id: 'me', teamIds: ['engineering'] };
  const wednesday = new Date('2026-12-02T12:00:00Z');
  const kr = { kpiId: null, currentValue: 40, ownerUserId: null, ownerTeamId: 'engineering', lastCheckInAt: null, finalValue: null };

  it('starts the week on Monday, UTC, also across a year', () => {
    expect(weekStart(wednesday).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(weekStart(new Date('2026-11-30T00:00:00Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(weekStart(new Date('2027-01-03T23:59:00Z')).toISOString()).toBe('2026-12-28T00:00:00.000Z');
  });

  it('asks for key results of my teams or myself without a check-in since Monday', () => {
    expect(dueThisWeek(kr, me, wednesday)).toBe(true);
    expect(dueThisWeek({ ...kr, lastCheckInAt: '2026-11-29T23:59:59Z' }, me, wednesday)).toBe(true);
    expect(dueThisWeek({ ...kr, lastCheckInAt: '2026-11-30T08:00:00Z' }, me, wednesday)).toBe(false);
    expect(dueThisWeek({ ...kr, ownerTeamId: null, ownerUserId: 'me' }, me, wednesday)).toBe(true);
  });

  it('asks for KPI-fed key results too, for their confidence and note, once a week', () => {
    expect(dueThisWeek({ ...kr, kpiId: 'kpi' }, me, wednesday)).toBe(true);
    expect(dueThisWeek({ ...kr, kpiId: 'kpi', lastCheckInAt: '2026-11-30T08:00:00Z' }, me, wednesday)).toBe(false);
  });

  it('asks for a key result waiting for its baseline: its first check-in sets it', () => {
    expect(dueThisWeek({ ...kr, currentValue: null }, me, wednesday)).toBe(true);
  });

  it('leaves out other owners’ key results, those frozen by a closed cycle and KPI-fed ones whose KPI has no value yet', () => {
    expect(dueThisWeek({ ...kr, ownerTeamId: 'sales' }, me, wednesday)).toBe(false);
    expect(dueThisWeek({ ...kr, finalValue: 55 }, me, wednesday)).toBe(false);
    expect(dueThisWeek({ ...kr, kpiId: 'kpi', currentValue: null }, me, wednesday)).toBe(false);
  });
});

describe('a key result declared as a change, in words', () => {
  const kr = { type: 'number' as const, unit: 'deploys/week' };
  it('says a percentage with its sign and the baseline it was taken from', () => {
    expect(changeText({ ...kr, change: { percent: 50, by: null, baseline: 8, baselineSource: 'kpi' } })).toBe("+50 % from 8 deploys/week (the KPI's value)");
    expect(changeText({ ...kr, change: { percent: 15, by: null, baseline: 2, baselineSource: 'given' } })).toBe('+15 % from 2 deploys/week');
  });

  it('says an amount with a real minus sign and the unit', () => {
    expect(changeText({ type: 'number', unit: 'hours', change: { percent: null, by: -9, baseline: 44, baselineSource: 'kpi' } })).toBe(
      "\u22129 hours from 44 hours (the KPI's value)",
    );
  });

  it('says a baseline taken from the first check-in, and that there is none before it', () => {
    expect(changeText({ ...kr, change: { percent: 15, by: null, baseline: null, baselineSource: 'firstCheckIn' } })).toBe(
      '+15 % from the first check-in (no baseline yet)',
    );
    expect(changeText({ ...kr, change: { percent: 15, by: null, baseline: 4, baselineSource: 'firstCheckIn' } })).toBe(
      '+15 % from 4 deploys/week (the first check-in)',
    );
    expect(currentAndTarget({ type: 'number', unit: null, startValue: null, targetValue: null, currentValue: null })).toBe(
      'no value yet, target set by the first check-in',
    );
  });

  it('says nothing for a key result given as start and target', () => {
    expect(changeText({ ...kr, change: null })).toBeUndefined();
  });
});

describe('a key result’s own timeframe, in words', () => {
  it('says both dates, or the one given, and nothing when the key result runs with its cycle', () => {
    expect(timeframeText({ startDate: '2026-10-01', dueDate: '2026-11-30' })).toBe('1 Oct 2026 – 30 Nov 2026');
    expect(timeframeText({ startDate: null, dueDate: '2026-11-30' })).toBe('due 30 Nov 2026');
    expect(timeframeText({ startDate: '2026-10-15', dueDate: null })).toBe('from 15 Oct 2026');
    expect(timeframeText({ startDate: null, dueDate: null })).toBeUndefined();
  });
});
