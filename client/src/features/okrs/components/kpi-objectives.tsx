import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import { HealthBadge } from '@/components/ui/health-badge';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { problemOf } from '@/lib/problem';

import { kpiObjectivesQueryOptions } from '../api/objectives';

/** The objectives a KPI is linked to as a health metric, or whose key results it feeds (those key results named). */
export function KpiObjectives({ kpiKey }: { kpiKey: string }) {
  const objectives = useQuery(kpiObjectivesQueryOptions(kpiKey));
  if (objectives.isPending) return <p className="muted small">Loading objectives…</p>;
  if (objectives.isError) return <ProblemAlert problem={problemOf(objectives.error)} />;
  const items = objectives.data.items;
  if (items.length === 0) return <p className="muted small">No objective is linked to this KPI, and it feeds no key result.</p>;
  return (
    <ul className="kpi-objectives">
      {items.map((o) => {
        const fed = o.keyResults.filter((kr) => kr.kpiKey === kpiKey);
        return (
          <li key={o.id}>
            <Link to="/objectives/$objectiveId" params={{ objectiveId: o.id }}>
              {o.title}
            </Link>{' '}
            <HealthBadge health={o.health} />
            {fed.length > 0 ? (
              <span className="muted small"> · feeds {fed.map((kr) => `“${kr.title}”`).join(', ')}</span>
            ) : (
              <span className="muted small"> · linked as a health metric</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
