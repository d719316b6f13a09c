import { Link } from '@tanstack/react-router';
import { memo } from 'react';

import { Sparkline } from '@/components/ui/sparkline';
import { StatusBadge } from '@/components/ui/status-badge';
import type { DashboardItem } from '@/lib/api/types';
import { formatChange, formatTarget, formatValue, plottable } from '@/lib/format';
import { isDisplayStatus, statusInfo } from '@/lib/status';

/** One row per KPI: latest value and period, change, target in words, status, and the last periods as a sparkline. */
export const DashboardTable = memo(function DashboardTable({ items }: { items: DashboardItem[] }) {
  return (
    <table className="dashboard">
      <caption className="visually-hidden">KPIs with their latest value, change, target, status and trend</caption>
      <thead>
        <tr>
          <th scope="col">KPI</th>
          <th scope="col">Latest</th>
          <th scope="col">Change</th>
          <th scope="col">Target</th>
          <th scope="col">Status</th>
          <th scope="col">Last {items[0]?.sparkline.length ?? 12} periods</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <DashboardRow key={item.kpiId} item={item} />
        ))}
      </tbody>
    </table>
  );
});

function DashboardRow({ item }: { item: DashboardItem }) {
  const latest = item.latest ?? null;
  const change = item.valueType === 'boolean' ? undefined : formatChange(item.change, item.changePercent);
  const display = isDisplayStatus(item.displayStatus) ? item.displayStatus : item.status;
  const points = item.sparkline.map((p) => ({ period: p.period, value: plottable(p.value) }));
  const known = points.filter((p) => p.value !== null);
  const first = item.sparkline[0]?.period;
  const last = item.sparkline[item.sparkline.length - 1]?.period;
  const targetLine = item.target.comparator === 'between' ? null : item.target.value;
  return (
    <tr data-kpi={item.key}>
      <th scope="row">
        <Link to="/kpis/$key" params={{ key: item.key }}>
          {item.name}
        </Link>
        {item.fedBy === 'formula' && <span className="muted"> (computed)</span>}
        {item.kpiStatus === 'retired' && <span className="muted"> (retired)</span>}
      </th>
      <td className="latest">
        {latest ? (
          <>
            <span className="big-number">{formatValue(latest.value, item.valueType, item.unit)}</span>
            <span className="period">{latest.period}</span>
          </>
        ) : (
          <span className="muted">No value yet</span>
        )}
      </td>
      <td className="change" title={change?.words}>
        {change ? (
          <>
            <span aria-hidden="true">{`${change.symbol} ${change.absolute}${change.percent ? ` (${change.percent})` : ''}`}</span>
            <span className="visually-hidden">{change.words}</span>
          </>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td>{formatTarget(item.target, item.valueType, item.unit)}</td>
      <td>
        <StatusBadge status={display} />
        {item.late && item.status !== 'noData' && <span className="muted small"> last value {statusInfo[item.status].word.toLowerCase()}</span>}
      </td>
      <td>
        {known.length > 0 ? (
          <Sparkline
            points={points}
            target={targetLine}
            label={`${item.name}, ${first} to ${last}: ${points.map((p) => (p.value === null ? 'no value' : formatValue(p.value, item.valueType))).join(', ')}`}
          />
        ) : (
          <span className="muted small">No data</span>
        )}
      </td>
    </tr>
  );
}
