import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { matrixAcrossCsvUrl, matrixAcrossQueryOptions } from '@/features/okrs/api/cycle-views';
import { cyclesQueryOptions } from '@/features/okrs/api/cycles';
import { OkrKpiMatrixTable } from '@/features/okrs/components/okr-kpi-matrix';
import { problemOf } from '@/lib/problem';

import { matrixAcrossRoute } from '../router';
import { OwnerName } from './owner-name';

/**
 * The OKR–KPI matrix across quarters: every cycle from the first chosen to the last, oldest first. A closed cycle shows
 * its key results frozen at close and its KPIs as they stood at its end, not today's values.
 */
export function MatrixAcrossPage() {
  const search = matrixAcrossRoute.useSearch();
  const navigate = useNavigate({ from: matrixAcrossRoute.fullPath });
  const cycles = useQuery(cyclesQueryOptions);
  usePageTitle('Matrix across cycles');
  // Oldest first in the pickers, as the matrix lists them.
  const ordered = [...(cycles.data ?? [])].sort((a, b) => a.startDate.localeCompare(b.startDate) || a.endDate.localeCompare(b.endDate));
  const from = ordered.find((c) => c.id === search.from) ?? ordered[0];
  const to = ordered.find((c) => c.id === search.to) ?? ordered[ordered.length - 1];
  const backwards = from !== undefined && to !== undefined && to.endDate < from.startDate;
  const range = from && to && !backwards ? { from: from.startDate, to: to.endDate } : undefined;
  const matrix = useQuery({ ...matrixAcrossQueryOptions(range?.from ?? '', range?.to ?? ''), enabled: range !== undefined });

  const pick = (field: 'from' | 'to', id: string) => void navigate({ search: (s) => ({ ...s, [field]: id }), replace: true });

  return (
    <>
      <p className="breadcrumb">
        <Link to="/cycles">Cycles</Link> › Matrix across cycles
      </p>
      <div className="page-head">
        <h1>OKR–KPI matrix across cycles</h1>
        {range && (
          <a className="button" href={matrixAcrossCsvUrl(range.from, range.to)} download>
            Download CSV
          </a>
        )}
      </div>
      {cycles.isPending ? (
        <Loading what="cycles" />
      ) : cycles.isError ? (
        <ProblemAlert problem={problemOf(cycles.error)} />
      ) : (
        <form className="filters" aria-label="Cycles of the matrix" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="matrix-from">From cycle</label>
            <select id="matrix-from" value={from?.id ?? ''} onChange={(e) => pick('from', e.target.value)}>
              {ordered.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.startDate} – {c.endDate})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="matrix-to">To cycle</label>
            <select
              id="matrix-to"
              value={to?.id ?? ''}
              onChange={(e) => pick('to', e.target.value)}
              aria-invalid={backwards || undefined}
              aria-describedby={backwards ? 'matrix-range-error' : undefined}
            >
              {ordered.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.startDate} – {c.endDate})
                </option>
              ))}
            </select>
            {backwards && (
              <p className="field-error" id="matrix-range-error" role="alert">
                <span aria-hidden="true">✕</span> The last cycle ends before the first begins; choose a later one.
              </p>
            )}
          </div>
        </form>
      )}
      {range &&
        (matrix.isPending ? (
          <Loading what="the matrix" />
        ) : matrix.isError ? (
          <ProblemAlert problem={problemOf(matrix.error)} />
        ) : matrix.data.cycles.length === 0 ? (
          <p role="status">No cycle lies wholly within {range.from} to {range.to}.</p>
        ) : (
          matrix.data.cycles.map((m) => (
            <section key={m.cycle.id} aria-labelledby={`matrix-${m.cycle.id}`} className="matrix-cycle">
              <h2 id={`matrix-${m.cycle.id}`}>
                {m.cycle.name} <span className={`tag cycle-${m.cycle.status}`}>{m.cycle.status}</span>
              </h2>
              {m.cycle.status === 'closed' && (
                <p className="muted small">Closed: key results as frozen at close, KPIs as they stood on {m.cycle.endDate}.</p>
              )}
              {m.objectives.length === 0 ? (
                <p className="muted">No objectives in {m.cycle.name}.</p>
              ) : (
                <OkrKpiMatrixTable matrix={m} owner={(o) => <OwnerName ownerTeamId={o.ownerTeamId} ownerUserId={o.ownerUserId} />} />
              )}
            </section>
          ))
        ))}
    </>
  );
}
