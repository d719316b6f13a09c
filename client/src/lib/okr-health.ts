import type { KeyResult, OkrHealth } from '@/lib/api/types';
import { formatNumber } from '@/lib/format';

/**
 * How progress and health read on every OKR screen. The server decides progress, expected progress, health and
 * staleness (docs/okrs.md has the conformance tables); the client only says them: symbol + word + colour, never
 * colour alone.
 */
export const healthInfo: Record<OkrHealth | 'none', { symbol: string; word: string }> = {
  onTrack: { symbol: '✓', word: 'On track' },
  atRisk: { symbol: '▲', word: 'At risk' },
  offTrack: { symbol: '✕', word: 'Off track' },
  notStarted: { symbol: '○', word: 'Not started' },
  // An objective without key results has no progress and so no health.
  none: { symbol: '○', word: 'No key results' },
};

/** A fraction 0–1 as a whole per cent: 0.6759 → 68. Half away from zero, as the server rounds. */
export function percent(fraction: number): number {
  return Math.sign(fraction) * Math.round(Math.abs(fraction) * 100);
}

/** "72 %, expected 68 %": the bar's value in text, for the eye and for assistive technology alike. */
export function progressText(progress: number | null | undefined, expected: number | null | undefined): string {
  if (progress === null || progress === undefined) return 'No progress yet (no key results)';
  const own = `${percent(progress)} %`;
  return expected === null || expected === undefined ? own : `${own}, expected ${percent(expected)} %`;
}

type KeyResultValues = Pick<KeyResult, 'type' | 'unit' | 'startValue' | 'targetValue' | 'currentValue'>;

/** One value of a key result with its unit: "55 %", "11,100,000 EUR", "Done". */
export function keyResultValue(kr: Pick<KeyResult, 'type' | 'unit'>, value: number | null | undefined): string {
  if (value === null || value === undefined) return 'no value yet';
  if (kr.type === 'milestone') return value >= 1 ? 'Done' : 'Not done';
  const text = formatNumber(value);
  return kr.unit ? `${text} ${kr.unit}` : text;
}

/**
 * Whether a relative key result still waits for the first check-in to give its baseline: until then it has no start
 * and no target, and its progress of 0 would be a guess, so screens say it waits instead of drawing a bar.
 */
export function awaitsBaseline(kr: Pick<KeyResult, 'type' | 'targetValue'>): boolean {
  return kr.type !== 'milestone' && kr.targetValue === null;
}

/** Current against target: "55 of 80 %" reads wrong for a decrease, so the target is named: "55 %, target 80 %". */
export function currentAndTarget(kr: KeyResultValues): string {
  if (kr.type === 'milestone') return keyResultValue(kr, kr.currentValue);
  // The check-in's value is its baseline.
  if (awaitsBaseline(kr)) return `${keyResultValue(kr, kr.currentValue)}, target set by the first check-in`;
  return `${keyResultValue(kr, kr.currentValue)}, target ${keyResultValue(kr, kr.targetValue)}`;
}

/**
 * A target declared as a change, as it was declared: "+50 % from 8 deploys/week (the KPI's value)",
 * "−9 hours from 44 hours", "+15 % from the first check-in (no baseline yet)". Undefined for a key result given as
 * start and target.
 */
export function changeText(kr: Pick<KeyResult, 'type' | 'unit' | 'change'>): string | undefined {
  const change = kr.change;
  if (!change) return undefined;
  const signed = (n: number) => (n > 0 ? `+${formatNumber(n)}` : formatNumber(n));
  const amount = change.percent !== null && change.percent !== undefined ? `${signed(change.percent)} %` : `${signed(change.by ?? 0)}${kr.unit ? ` ${kr.unit}` : ''}`;
  if (change.baseline === null || change.baseline === undefined) return `${amount} from the first check-in (no baseline yet)`;
  const source = change.baselineSource === 'kpi' ? " (the KPI's value)" : change.baselineSource === 'firstCheckIn' ? ' (the first check-in)' : '';
  return `${amount} from ${keyResultValue(kr, change.baseline)}${source}`;
}

const days = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const day = (iso: string) => days.format(new Date(`${iso}T00:00:00Z`));

/** A key result's own timeframe: "1 Oct 2026 – 30 Nov 2026", "due 30 Nov 2026"; undefined when it runs with the cycle. */
export function timeframeText(kr: Pick<KeyResult, 'startDate' | 'dueDate'>): string | undefined {
  if (kr.startDate && kr.dueDate) return `${day(kr.startDate)} – ${day(kr.dueDate)}`;
  if (kr.dueDate) return `due ${day(kr.dueDate)}`;
  if (kr.startDate) return `from ${day(kr.startDate)}`;
  return undefined;
}

/** Where the current value comes from, in words. */
export function feedText(kr: Pick<KeyResult, 'currentValueSource' | 'kpiKey'>): string {
  return kr.currentValueSource === 'kpi' || kr.kpiKey ? `fed by KPI ${kr.kpiKey ?? ''}`.trim() : 'by check-in';
}

/** Monday 00:00 UTC of the ISO week holding `now`. */
export function weekStart(now: Date): Date {
  const day = (now.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
}

interface Owner {
  id: string;
  teamIds?: string[] | null;
}

type DueCandidate = Pick<KeyResult, 'kpiId' | 'currentValue' | 'ownerUserId' | 'ownerTeamId' | 'lastCheckInAt' | 'finalValue'>;

/**
 * Whether a key result waits for this person's weekly check-in: they own it (themself or one of their teams), it is
 * not frozen by a closed cycle, and it has had no check-in since this week's Monday (UTC). A KPI-fed key result is due
 * too: its check-in is the weekly conversation (confidence and note) and records the KPI's value, so it waits only
 * while that KPI has no value yet, which the API refuses (409).
 */
export function dueThisWeek(kr: DueCandidate, person: Owner, now: Date): boolean {
  if (kr.finalValue !== null) return false;
  if (kr.kpiId && kr.currentValue === null) return false;
  const owns = kr.ownerUserId === person.id || (kr.ownerTeamId !== null && (person.teamIds ?? []).includes(kr.ownerTeamId));
  if (!owns) return false;
  return kr.lastCheckInAt === null || new Date(kr.lastCheckInAt) < weekStart(now);
}
