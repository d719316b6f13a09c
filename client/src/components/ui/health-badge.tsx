import type { OkrHealth } from '@/lib/api/types';
import { healthInfo } from '@/lib/okr-health';

/** An objective's or key result's health: symbol + word + colour, never colour alone. */
export function HealthBadge({ health }: { health: OkrHealth | null | undefined }) {
  const key = health ?? 'none';
  const info = healthInfo[key];
  return (
    <span className={`badge badge-${key}`} data-health={key}>
      <span aria-hidden="true">{info.symbol}</span> {info.word}
    </span>
  );
}

/** No check-in (or KPI value) for longer than the organisation allows: a word, not only a colour. */
export function StaleFlag({ stale }: { stale: boolean }) {
  if (!stale) return null;
  return (
    <span className="badge badge-stale" data-stale="true" title="No check-in or KPI value for too long">
      <span aria-hidden="true">⏱</span> Stale
    </span>
  );
}
