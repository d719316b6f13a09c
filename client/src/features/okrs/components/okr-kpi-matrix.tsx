import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';

import { HealthBadge, StaleFlag } from '@/components/ui/health-badge';
import { StatusBadge } from '@/components/ui/status-badge';
import type { OkrKpiMatrix } from '@/lib/api/types';
import { formatTarget, formatValue } from '@/lib/format';
import { currentAndTarget, progressText } from '@/lib/okr-health';
import { isDisplayStatus } from '@/lib/status';

type Kpi = NonNullable<OkrKpiMatrix['objectives'][number]['keyResults'][number]['kpi']>;

function KpiCells({ kpi }: { kpi: Kpi | null | undefined }) {
  if (!kpi) {
    return (
      <td colSpan={4} className="muted">
        checked in by hand
      </td>
    );
  }
  const status = isDisplayStatus(kpi.displayStatus) ? kpi.displayStatus : kpi.status;
  return (
    <>
      <td>
        <Link to="/kpis/$key" params={{ key: kpi.key }}>
          {kpi.name}
        </Link>{' '}
        <span className="muted small mono">{kpi.key}</span>
      </td>
      <td className="num">{kpi.latest ? `${formatValue(kpi.latest.value, kpi.valueType, kpi.unit)} (${kpi.latest.period})` : 'No value yet'}</td>
      <td>{formatTarget(kpi.target, kpi.valueType, kpi.unit)}</td>
      <td>
        <StatusBadge status={status} />
      </td>
    </>
  );
}

/** S8: objective → key results (progress, health) → the KPI feeding each, then the objective's health-metric KPIs. */
export function OkrKpiMatrixTable({ matrix, owner }: { matrix: OkrKpiMatrix; owner: (o: { ownerTeamId: string | null; ownerUserId: string | null }) => ReactNode }) {
  return (
    <table className="matrix">
      <caption>OKR–KPI matrix of {matrix.cycle.name}</caption>
      <thead>
        <tr>
          <th scope="col">Key result</th>
          <th scope="col">Progress</th>
          <th scope="col">Health</th>
          <th scope="col">KPI</th>
          <th scope="col">Latest</th>
          <th scope="col">Target</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      {matrix.objectives.map((o) => (
        <tbody key={o.id} data-objective={o.title}>
          <tr className="matrix-objective">
            <th scope="rowgroup" colSpan={7}>
              <Link to="/objectives/$objectiveId" params={{ objectiveId: o.id }}>
                {o.title}
              </Link>{' '}
              <span className="muted small">({owner(o)})</span> <HealthBadge health={o.health} /> <StaleFlag stale={o.stale} />{' '}
              <span className="small">{progressText(o.progress, o.expectedProgress)}</span>
            </th>
          </tr>
          {o.keyResults.map((kr) => (
            <tr key={kr.id} data-key-result={kr.title}>
              <th scope="row">
                {kr.title}
                <br />
                <span className="muted small">{currentAndTarget(kr)}</span>
              </th>
              <td className="num">{Math.round(kr.progress * 100)} %</td>
              <td>
                <HealthBadge health={kr.health} /> <StaleFlag stale={kr.stale} />
              </td>
              <KpiCells kpi={kr.kpi} />
            </tr>
          ))}
          {o.kpis.map((k) => (
            <tr key={`kpi-${k.id}`} className="matrix-health-metric">
              <th scope="row" className="muted">
                Health metric
              </th>
              <td colSpan={2} />
              <KpiCells kpi={k} />
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
