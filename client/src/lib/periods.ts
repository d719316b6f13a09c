import type { Frequency } from '@/lib/api/types';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The ISO-8601 week of a UTC date: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(date: Date): { year: number; week: number } {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

/** The label the API uses for the period of `frequency` that holds `instant` (read in UTC). */
export function periodLabel(frequency: Frequency, instant: Date): string {
  const y = instant.getUTCFullYear();
  const m = instant.getUTCMonth() + 1;
  switch (frequency) {
    case 'hourly':
      return `${y}-${pad(m)}-${pad(instant.getUTCDate())}T${pad(instant.getUTCHours())}:00:00Z`;
    case 'daily':
      return `${y}-${pad(m)}-${pad(instant.getUTCDate())}`;
    case 'weekly': {
      const { year, week } = isoWeek(instant);
      return `${year}-W${pad(week)}`;
    }
    case 'monthly':
      return `${y}-${pad(m)}`;
    case 'quarterly':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'yearly':
      return String(y);
  }
}

/** `instant` moved back by `count` periods of `frequency` (calendar arithmetic in UTC). */
export function periodsBack(frequency: Frequency, instant: Date, count: number): Date {
  const d = new Date(instant.getTime());
  switch (frequency) {
    case 'hourly':
      d.setUTCHours(d.getUTCHours() - count);
      return d;
    case 'daily':
      d.setUTCDate(d.getUTCDate() - count);
      return d;
    case 'weekly':
      d.setUTCDate(d.getUTCDate() - 7 * count);
      return d;
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      const months = frequency === 'monthly' ? count : frequency === 'quarterly' ? 3 * count : 12 * count;
      // From the first of the month, so that 31 March minus one month is in February, not 3 March.
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1));
    }
  }
}

/**
 * The `from`/`to` labels of the last `count` periods up to the current one. Both ends are labels of the same
 * calendar, so the server counts exactly `count` periods whatever the organisation's time zone; only which period is
 * "current" is judged in UTC here (near midnight it can be a period earlier or later than the server's).
 */
export function lastPeriods(frequency: Frequency, now: Date, count: number): { from: string; to: string } {
  return { from: periodLabel(frequency, periodsBack(frequency, now, count - 1)), to: periodLabel(frequency, now) };
}

/** What the period field of the record form accepts, in words, with today's example. */
export function periodHint(frequency: Frequency, now: Date): string {
  const date = periodLabel('daily', now);
  switch (frequency) {
    case 'hourly':
      return `An instant with its offset, e.g. ${periodLabel('hourly', now)}; it is stored as the hour that holds it.`;
    case 'daily':
      return `A date, e.g. ${date}.`;
    case 'weekly':
      return `An ISO week (${periodLabel('weekly', now)}) or any date in it (${date}).`;
    case 'monthly':
      return `A month (${periodLabel('monthly', now)}) or any date in it.`;
    case 'quarterly':
      return `A quarter (${periodLabel('quarterly', now)}), a month or a date in it.`;
    case 'yearly':
      return `A year (${periodLabel('yearly', now)}), or a quarter, month or date in it.`;
  }
}

export const frequencyPeriodWord: Record<Frequency, string> = {
  hourly: 'hours',
  daily: 'days',
  weekly: 'weeks',
  monthly: 'months',
  quarterly: 'quarters',
  yearly: 'years',
};
