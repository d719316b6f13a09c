import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { FollowButton } from '@/features/alerts/components/follow-button';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { StatusBadge } from '@/components/ui/status-badge';
import { kpiQueryOptions } from '@/features/kpis/api/kpis';
import { KpiEvents } from '@/features/events/components/kpi-events';
import { KpiDefinition } from '@/features/kpis/components/kpi-definition';
import { KpiStatusActions } from '@/features/kpis/components/kpi-status-actions';
import { KpiObjectives } from '@/features/okrs/components/kpi-objectives';
import { seriesQueryOptions } from '@/features/measurements/api/measurements';
import { type Preset, RecordValueForm } from '@/features/measurements/components/record-value-form';
import { SeriesFigure } from '@/features/measurements/components/series-figure';
import { SeriesTable } from '@/features/measurements/components/series-table';
import { ValueExplanation } from '@/features/measurements/components/value-explanation';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { formatValue } from '@/lib/format';
import { frequencyPeriodWord, lastPeriods } from '@/lib/periods';
import { canWriteOwned } from '@/lib/permissions';
import { problemOf } from '@/lib/problem';
import { teamPath } from '@/lib/team-tree';

import { kpiRoute, rangeOptions } from '../router';

/** S3: the definition, the chart with target and bands, the values with history, and (for writers) recording. */
export function KpiDetailPage() {
  const { key } = kpiRoute.useParams();
  const { range = 30 } = kpiRoute.useSearch();
  const navigate = useNavigate();
  const session = useQuery(sessionQueryOptions);
  const kpi = useQuery(kpiQueryOptions(key));
  const teams = useQuery(teamsQueryOptions);
  const [now] = useState(() => new Date());
  const series = useQuery({ ...seriesQueryOptions(key, lastPeriods(kpi.data?.frequency ?? 'daily', now, range)), enabled: kpi.isSuccess });
  const [message, setMessage] = useState('');
  const [preset, setPreset] = useState<Preset>();
  usePageTitle(kpi.data?.name ?? 'KPI');

  if (kpi.isPending) return <Loading what="the KPI" />;
  if (kpi.isError) {
    const problem = problemOf(kpi.error);
    return (
      <>
        <h1>{problem.status === 404 ? 'KPI not found' : 'KPI'}</h1>
        <ProblemAlert problem={problem} messages={problem.status === 404 ? [`No KPI has the key or id “${key}”.`] : undefined} />
        <p>
          <Link to="/kpis">Back to the dashboard</Link>
        </p>
      </>
    );
  }
  const k = kpi.data;
  const writer = canWriteOwned(session.data?.user, k.ownerTeamId);
  const latest = series.data?.items[series.data.items.length - 1];
  const ranges: number[] = rangeOptions.includes(range as (typeof rangeOptions)[number]) ? [...rangeOptions] : [...rangeOptions, range].sort((a, b) => a - b);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/kpis">KPI dashboard</Link> <span aria-hidden="true">›</span> <span aria-current="page">{k.name}</span>
      </nav>
      <div className="page-head">
        <h1>
          {k.name} {k.status === 'retired' && <span className="muted">(retired)</span>}
        </h1>
        {latest && (
          <p className="headline">
            <span className="big-number">{formatValue(latest.value, k.valueType, k.unit)}</span> <span className="muted">{latest.period}</span>{' '}
            <StatusBadge status={latest.status} />
          </p>
        )}
      </div>
      <p role="status" className="announce">
        {message}
      </p>
      <div className="actions">
        <FollowButton subject={{ type: 'kpi', id: k.id, key: k.key }} name={k.name} onChanged={setMessage} />
        {writer && (
          <>
            <Link to="/kpis/$key/edit" params={{ key: k.key }} className="button">
              Edit definition
            </Link>
            <KpiStatusActions kpi={k} onChanged={setMessage} />
          </>
        )}
      </div>
      <section aria-labelledby="definition-title">
        <h2 id="definition-title">Definition</h2>
        <KpiDefinition kpi={k} ownerTeam={teamPath(teams.data ?? [], k.ownerTeamId)} />
      </section>

      <section aria-labelledby="objectives-title">
        <h2 id="objectives-title">Objectives and key results</h2>
        <KpiObjectives kpiKey={k.key} />
      </section>

      <section aria-labelledby="series-title">
        <h2 id="series-title">Values over time</h2>
        <fieldset className="range-picker">
          <legend>Range</legend>
          {ranges.map((r) => (
            <label key={r} className="radio">
              <input
                type="radio"
                name="range"
                value={r}
                checked={range === r}
                onChange={() => void navigate({ to: '/kpis/$key', params: { key }, search: { range: r === 30 ? undefined : r }, replace: true })}
              />
              Last {r} {frequencyPeriodWord[k.frequency]}
            </label>
          ))}
        </fieldset>
        {series.isPending ? (
          <Loading what="values" />
        ) : series.isError ? (
          <ProblemAlert problem={problemOf(series.error)} />
        ) : (
          <>
            <SeriesFigure kpi={k} series={series.data} />
            <SeriesTable
              kpi={k}
              series={series.data}
              canWrite={writer && k.status === 'active' && k.fedBy === 'values'}
              onEdit={(m) => setPreset({ period: m.period, value: m.value, note: m.note, nonce: Date.now() })}
              onChanged={setMessage}
            />
          </>
        )}
      </section>

      {k.fedBy === 'events' && <KpiEvents kpi={k} />}

      {k.fedBy === 'formula' && (
        <section aria-labelledby="explanation-title">
          <h2 id="explanation-title">How the latest value came about</h2>
          <p>Computed by its formula whenever an input changes; its values cannot be recorded by hand.</p>
          {latest ? <ValueExplanation kpi={k} period={latest.period} /> : <p>No period has a value yet.</p>}
        </section>
      )}

      {writer &&
        k.fedBy === 'values' &&
        (k.status === 'active' ? (
          <RecordValueForm kpi={k} preset={preset} onRecorded={setMessage} />
        ) : (
          <p className="alert alert-info">This KPI is retired and takes no new values. Reactivate it to record values again.</p>
        ))}
    </>
  );
}
