import type { KeyResult, KeyResultInput, KeyResultType } from '@/lib/api/types';

/** How the target is said: as a value, or as a change from a baseline ("+15 %", "−2.5"). */
export type TargetKind = 'absolute' | 'percent' | 'by';
/** Where a relative target's baseline comes from (the API's `change.baselineSource`). */
export type BaselineFrom = 'given' | 'kpi' | 'firstCheckIn';
export type ComparatorChoice = '' | 'atLeast' | 'greaterThan' | 'atMost' | 'lessThan';

/** A key result as typed into the form: text as typed, so a half-typed number survives a reload or a re-sign-in. */
export interface KeyResultDraft {
  title: string;
  type: KeyResultType;
  unit: string;
  targetKind: TargetKind;
  startValue: string;
  targetValue: string;
  changeAmount: string;
  baselineFrom: BaselineFrom;
  direction: '' | 'increase' | 'decrease';
  comparator: ComparatorChoice;
  currentValue: string;
  startDate: string;
  dueDate: string;
  timeframeReason: string;
  weight: string;
  kpiKey: string;
}

/** The form's fields in screen order: the first one in error takes the focus. */
export const keyResultFields = [
  'title',
  'type',
  'kpiKey',
  'unit',
  'targetKind',
  'baselineFrom',
  'startValue',
  'targetValue',
  'change',
  'direction',
  'comparator',
  'currentValue',
  'startDate',
  'dueDate',
  'timeframeReason',
  'weight',
] as const;
export type KeyResultField = (typeof keyResultFields)[number];

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function draftOf(kr?: KeyResult): KeyResultDraft {
  const change = kr?.change;
  return {
    title: kr?.title ?? '',
    type: kr?.type ?? 'number',
    unit: kr?.unit ?? '',
    targetKind: change ? (change.percent !== null && change.percent !== undefined ? 'percent' : 'by') : 'absolute',
    startValue: text(change ? change.baseline : kr?.startValue),
    targetValue: change ? '' : text(kr?.targetValue),
    changeAmount: change ? text(change.percent ?? change.by) : '',
    baselineFrom: change?.baselineSource ?? 'given',
    direction: '',
    comparator: kr && (kr.comparator === 'greaterThan' || kr.comparator === 'lessThan') ? kr.comparator : '',
    currentValue: '',
    startDate: kr?.startDate ?? '',
    dueDate: kr?.dueDate ?? '',
    timeframeReason: kr?.timeframeReason ?? '',
    weight: kr ? String(kr.weight) : '1',
    kpiKey: kr?.kpiKey ?? '',
  };
}

const numberPattern = /^-?\d+(\.\d+)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The request body the draft says, or the errors that keep it from being sent (the server checks the rest and answers
 * with field errors the form shows in the same places). Editing a relative key result whose baseline came from its
 * KPI or its first check-in sends that baseline back as it stands, so saving a title does not take a new baseline.
 */
export function keyResultBody(
  d: KeyResultDraft,
  kr?: KeyResult,
): { body: KeyResultInput; errors?: undefined } | { body?: undefined; errors: Partial<Record<KeyResultField, string>> } {
  const errors: Partial<Record<KeyResultField, string>> = {};
  const num = (field: 'startValue' | 'targetValue' | 'changeAmount' | 'currentValue' | 'weight', required: boolean) => {
    const typed = d[field].trim().replace(/\u2212/g, '-');
    const at: KeyResultField = field === 'changeAmount' ? 'change' : field;
    if (typed === '') {
      if (required) errors[at] = 'Enter a number.';
      return null;
    }
    if (!numberPattern.test(typed)) {
      errors[at] = 'Enter a number, such as 42 or -1.5 (with a dot for decimals).';
      return null;
    }
    return Number(typed);
  };
  const date = (field: 'startDate' | 'dueDate') => {
    const typed = d[field].trim();
    if (typed === '') return null;
    if (!datePattern.test(typed)) errors[field] = 'Enter a date as YYYY-MM-DD.';
    return typed;
  };

  if (!d.title.trim()) errors.title = 'Enter a title.';
  const milestone = d.type === 'milestone';
  const relative = !milestone && d.targetKind !== 'absolute';
  const fed = d.kpiKey !== '';
  if (relative && d.baselineFrom === 'kpi' && !fed) errors.baselineFrom = 'Choose the KPI that feeds it, or another baseline.';

  // A baseline the server already took from the KPI or a check-in goes back as it is.
  const kept = kr?.change && kr.change.baseline !== null && kr.change.baseline !== undefined && kr.change.baselineSource === d.baselineFrom && d.baselineFrom !== 'given'
    ? kr.change.baseline
    : null;
  let startValue: number | null = null;
  let targetValue: number | null = null;
  let change: KeyResultInput['change'] = null;
  if (!milestone && !relative) {
    startValue = num('startValue', true);
    targetValue = num('targetValue', true);
  } else if (relative) {
    const amount = num('changeAmount', true);
    if (d.baselineFrom === 'given') startValue = num('startValue', true);
    else if (kept !== null) startValue = kept;
    if (amount !== null) {
      change = d.targetKind === 'percent' ? { percent: amount } : { by: amount };
      if (d.baselineFrom !== 'given' && kept === null) change.baselineSource = d.baselineFrom;
    }
  }
  const waitsForCheckIn = relative && d.baselineFrom === 'firstCheckIn';
  const currentValue = kr || fed || waitsForCheckIn ? null : num('currentValue', false);
  const weight = num('weight', false);
  const startDate = date('startDate');
  const dueDate = date('dueDate');
  if (startDate && dueDate && !errors.startDate && !errors.dueDate && dueDate < startDate) errors.dueDate = 'The due date must not be before the start date.';
  if (Object.keys(errors).length > 0) return { errors };

  return {
    body: {
      title: d.title.trim(),
      type: d.type,
      unit: d.unit.trim() || null,
      startValue,
      targetValue,
      change,
      direction: !milestone && !relative ? d.direction || null : null,
      comparator: milestone ? null : d.comparator || null,
      startDate,
      dueDate,
      timeframeReason: d.timeframeReason.trim() || null,
      weight,
      kpiKey: d.kpiKey || null,
      ...(kr ? {} : { currentValue }),
    },
  };
}
