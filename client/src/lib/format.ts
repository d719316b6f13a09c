import type { Aggregation, Comparator, FedBy, Frequency, KpiTarget, ValueType } from '@/lib/api/types';

const minus = '\u2212';
const numbers = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });
const percents = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** A number as people read it: grouped thousands, a real minus sign, no more than 4 decimals. */
export function formatNumber(value: number): string {
  const text = numbers.format(Math.abs(value));
  return value < 0 && text !== '0' ? `${minus}${text}` : text;
}

/** A measured value as a point to draw: a number as it is, yes/no as 1/0, anything else as a gap. */
export function plottable(value: unknown): number | null {
  return typeof value === 'number' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : null;
}

/** A measured value with its unit ("1.4 %", "1,065,000 EUR", "Yes"). */
export function formatValue(value: unknown, valueType: ValueType, unit?: string | null): string {
  if (value === null || value === undefined) return '–';
  if (valueType === 'boolean' || typeof value === 'boolean') return booleanText(value);
  if (typeof value !== 'number') return String(value);
  return withUnit(formatNumber(value), unit);
}

function booleanText(value: unknown): string {
  return value === true || value === 1 ? 'Yes' : 'No';
}

function withUnit(text: string, unit?: string | null): string {
  return unit ? `${text} ${unit}` : text;
}

/** The target in words: "≤ 2 %", "< 2 %", "≥ 100 units/hour", "10–20 %", "= Yes". */
export function formatTarget(target: KpiTarget, valueType: ValueType, unit?: string | null): string {
  const value = (v: number | null | undefined) =>
    v === null || v === undefined ? '?' : valueType === 'boolean' ? booleanText(v) : formatNumber(v);
  switch (target.comparator) {
    case 'atLeast':
      return withUnit(`≥ ${value(target.value)}`, unit);
    case 'atMost':
      return withUnit(`≤ ${value(target.value)}`, unit);
    case 'greaterThan':
      return withUnit(`> ${value(target.value)}`, unit);
    case 'lessThan':
      return withUnit(`< ${value(target.value)}`, unit);
    case 'between':
      return withUnit(`${value(target.low)}–${value(target.high)}`, unit);
    case 'equals':
      return valueType === 'boolean' ? `= ${value(target.value)}` : withUnit(`= ${value(target.value)}`, unit);
    default:
      return 'No target';
  }
}

/** The warning in words, or undefined when the target has none. */
export function formatWarning(target: KpiTarget, unit?: string | null): string | undefined {
  if (target.warning === null || target.warning === undefined) return undefined;
  return `at risk from ${withUnit(formatNumber(target.warning), unit)}`;
}

export interface Change {
  /** ▲ up, ▼ down, ● no change. */
  symbol: '▲' | '▼' | '●';
  /** "+0.2", "−25,000", "0". */
  absolute: string;
  /** "+16.7 %", or undefined when the previous value was 0 or unknown. */
  percent?: string;
  /** For screen readers and titles: "up 0.2 (16.7 %) on the previous period". */
  words: string;
}

/** The change against the previous period, absolute and relative (the API's changePercent: none when the previous value was 0). */
export function formatChange(change: number | null | undefined, changePercent: number | null | undefined): Change | undefined {
  if (change === null || change === undefined) return undefined;
  const symbol = change > 0 ? '▲' : change < 0 ? '▼' : '●';
  const sign = change > 0 ? '+' : '';
  const absolute = `${sign}${formatNumber(change)}`;
  let percent: string | undefined;
  if (changePercent !== null && changePercent !== undefined) {
    const text = percents.format(Math.abs(changePercent));
    percent = `${changePercent > 0 ? '+' : changePercent < 0 && text !== '0' ? minus : ''}${text} %`;
  }
  const direction = change > 0 ? 'up' : change < 0 ? 'down' : 'unchanged';
  const amount = change === 0 ? '' : ` ${formatNumber(Math.abs(change))}${percent ? ` (${percent.replace(/^[+\u2212]/, '')})` : ''}`;
  return { symbol, absolute, percent, words: `${direction}${amount} on the previous period` };
}

const dateTimes = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});
const dates = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** An instant as "2 Dec 2026, 07:37 UTC" (UTC: the same text for everyone reading the audit or a table). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimes.format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dates.format(date);
}

export const aggregationWords: Record<Aggregation, string> = {
  last: 'Last value',
  sum: 'Sum',
  average: 'Average',
  min: 'Minimum',
  max: 'Maximum',
  count: 'Count of values',
  median: 'Median',
};

export const fedByWords: Record<FedBy, string> = {
  values: 'Pushed or imported values',
  formula: 'A formula over other KPIs',
  events: 'Events, combined by the aggregation',
};

export const frequencyWords: Record<Frequency, string> = {
  hourly: 'Hourly',
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  yearly: 'Yearly',
};

export const valueTypeWords: Record<ValueType, string> = {
  number: 'Number',
  percentage: 'Percentage',
  currency: 'Currency',
  boolean: 'Yes/no',
};

export const comparatorWords: Record<Comparator, string> = {
  atLeast: 'At least (≥)',
  atMost: 'At most (≤)',
  greaterThan: 'Greater than (>)',
  lessThan: 'Less than (<)',
  between: 'Between (low–high)',
  equals: 'Equals (=)',
};
