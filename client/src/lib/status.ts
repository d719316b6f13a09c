import type { KpiTarget as Target } from '@/lib/api/types';

export type PeriodStatus = 'onTarget' | 'atRisk' | 'offTarget' | 'noData';
export type DisplayStatus = PeriodStatus | 'late';

/** Status is never colour alone: each has a symbol and a word, and the colour comes from its tone. */
export const statusInfo: Record<DisplayStatus, { symbol: string; word: string }> = {
  onTarget: { symbol: '✓', word: 'On target' },
  atRisk: { symbol: '▲', word: 'At risk' },
  offTarget: { symbol: '✕', word: 'Off target' },
  noData: { symbol: '○', word: 'No data' },
  late: { symbol: '⏱', word: 'Late' },
};

export const displayStatuses = Object.keys(statusInfo) as DisplayStatus[];

export function isDisplayStatus(value: unknown): value is DisplayStatus {
  return typeof value === 'string' && value in statusInfo;
}

/**
 * A stretch of the value axis with one status. `from`/`to` may be infinite; `fromIncluded`/`toIncluded` say whether
 * the ends belong to it (the published rules are inclusive towards the better status).
 */
export interface Band {
  status: Exclude<PeriodStatus, 'noData'>;
  from: number;
  to: number;
  fromIncluded: boolean;
  toIncluded: boolean;
}

const band = (status: Band['status'], from: number, to: number, fromIncluded: boolean, toIncluded: boolean): Band => ({
  status,
  from,
  to,
  fromIncluded,
  toIncluded,
});

const num = (v: number | null | undefined): number | undefined => (v === null || v === undefined ? undefined : v);

/**
 * The status bands of a target, lowest values first: what the KPI chart shades behind the series. The server decides
 * every stored value's status (with exact decimals); the client needs the same rule only to draw it, and a test runs
 * the README's conformance table through `statusOf` so that the drawing and the server agree.
 */
export function statusBands(target: Target): Band[] {
  const warning = num(target.warning);
  switch (target.comparator) {
    case 'atLeast': {
      const t = num(target.value);
      if (t === undefined) return [];
      if (warning === undefined || warning >= t) return [band('offTarget', -Infinity, t, false, false), band('onTarget', t, Infinity, true, false)];
      return [
        band('offTarget', -Infinity, warning, false, false),
        band('atRisk', warning, t, true, false),
        band('onTarget', t, Infinity, true, false),
      ];
    }
    case 'atMost': {
      const t = num(target.value);
      if (t === undefined) return [];
      if (warning === undefined || warning <= t) return [band('onTarget', -Infinity, t, false, true), band('offTarget', t, Infinity, false, false)];
      return [
        band('onTarget', -Infinity, t, false, true),
        band('atRisk', t, warning, false, true),
        band('offTarget', warning, Infinity, false, false),
      ];
    }
    // The strict comparators: the target itself is not on target ("defect rate less than 2 %" is not met at 2).
    case 'greaterThan': {
      const t = num(target.value);
      if (t === undefined) return [];
      if (warning === undefined || warning > t) return [band('offTarget', -Infinity, t, false, true), band('onTarget', t, Infinity, false, false)];
      return [
        band('offTarget', -Infinity, warning, false, false),
        band('atRisk', warning, t, true, true),
        band('onTarget', t, Infinity, false, false),
      ];
    }
    case 'lessThan': {
      const t = num(target.value);
      if (t === undefined) return [];
      if (warning === undefined || warning < t) return [band('onTarget', -Infinity, t, false, false), band('offTarget', t, Infinity, true, false)];
      return [
        band('onTarget', -Infinity, t, false, false),
        band('atRisk', t, warning, true, true),
        band('offTarget', warning, Infinity, false, false),
      ];
    }
    case 'between': {
      const low = num(target.low);
      const high = num(target.high);
      if (low === undefined || high === undefined) return [];
      const d = warning === undefined ? 0 : warning < low ? low - warning : warning > high ? warning - high : 0;
      if (d === 0) {
        return [band('offTarget', -Infinity, low, false, false), band('onTarget', low, high, true, true), band('offTarget', high, Infinity, false, false)];
      }
      return [
        band('offTarget', -Infinity, low - d, false, false),
        band('atRisk', low - d, low, true, false),
        band('onTarget', low, high, true, true),
        band('atRisk', high, high + d, false, true),
        band('offTarget', high + d, Infinity, false, false),
      ];
    }
    case 'equals': {
      const t = num(target.value);
      if (t === undefined) return [];
      const d = warning === undefined ? 0 : Math.abs(warning - t);
      if (d === 0) return [band('offTarget', -Infinity, t, false, false), band('onTarget', t, t, true, true), band('offTarget', t, Infinity, false, false)];
      return [
        band('offTarget', -Infinity, t - d, false, false),
        band('atRisk', t - d, t, true, false),
        band('onTarget', t, t, true, true),
        band('atRisk', t, t + d, false, true),
        band('offTarget', t + d, Infinity, false, false),
      ];
    }
    default:
      return [];
  }
}

export function statusOf(target: Target, value: number | null | undefined): PeriodStatus {
  if (value === null || value === undefined) return 'noData';
  const inBand = (b: Band) =>
    (value > b.from || (b.fromIncluded && value === b.from)) && (value < b.to || (b.toIncluded && value === b.to));
  // An on-target band wins at a shared boundary, then at risk: the rules are inclusive towards the better status.
  const bands = statusBands(target);
  for (const status of ['onTarget', 'atRisk', 'offTarget'] as const) {
    if (bands.some((b) => b.status === status && inBand(b))) return status;
  }
  return 'offTarget';
}

/** The bands in words, for the chart's text summary ("At risk: 2 to 3 %"). */
export function describeBands(target: Target, format: (n: number) => string): string[] {
  return statusBands(target).map((b) => {
    const word = statusInfo[b.status].word;
    if (b.from === b.to) return `${word}: exactly ${format(b.from)}`;
    if (!Number.isFinite(b.from)) return `${word}: ${b.toIncluded ? 'up to' : 'below'} ${format(b.to)}`;
    if (!Number.isFinite(b.to)) return `${word}: ${b.fromIncluded ? 'from' : 'above'} ${format(b.from)}`;
    return `${word}: ${format(b.from)} to ${format(b.to)}`;
  });
}
