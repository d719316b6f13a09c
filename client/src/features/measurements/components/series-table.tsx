import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { StatusBadge } from '@/components/ui/status-badge';
import type { Measurement, Series, ValueType } from '@/lib/api/types';
import { formatDateTime, formatValue } from '@/lib/format';
import { type Problem, problemOf } from '@/lib/problem';

import { revisionsQueryOptions, useDeleteValue } from '../api/measurements';

type Kpi = { key: string; unit?: string | null; valueType: ValueType };

const rowsPerPage = 50;

/**
 * The values of the range, newest first, 50 at a time (a 5,000-period range must not become a 5,000-row page).
 * Writers get Edit (fills the record form) and Delete (after a confirmation; the value stays in the history).
 */
export function SeriesTable({
  kpi,
  series,
  canWrite,
  onEdit,
  onChanged,
}: {
  kpi: Kpi;
  series: Series;
  canWrite: boolean;
  onEdit: (m: Measurement) => void;
  onChanged: (message: string) => void;
}) {
  const [shown, setShown] = useState(rowsPerPage);
  const [open, setOpen] = useState<string>();
  const [deleting, setDeleting] = useState<Measurement>();
  const [problem, setProblem] = useState<Problem>();
  const remove = useDeleteValue(kpi.key);
  const rows = [...series.items].reverse();

  return (
    <>
      {problem && <ProblemAlert problem={problem} />}
      <table className="values" aria-describedby="values-count">
        <caption>Values</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Value</th>
            <th scope="col">Status</th>
            <th scope="col">Source</th>
            <th scope="col">Recorded by</th>
            <th scope="col">Recorded at</th>
            <th scope="col">Note</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((m) => (
            <Fragment key={m.period}>
              <tr data-period={m.period}>
                <th scope="row">{m.period}</th>
                <td className="num">{formatValue(m.value, kpi.valueType, kpi.unit)}</td>
                <td>
                  <StatusBadge status={m.status} />
                </td>
                <td>{m.source}</td>
                <td>{m.recordedBy ?? '–'}</td>
                <td>{formatDateTime(m.recordedAt)}</td>
                <td>{m.note ?? ''}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    aria-expanded={open === m.period}
                    aria-controls={`revisions-${m.period}`}
                    onClick={() => setOpen(open === m.period ? undefined : m.period)}
                    aria-label={`History of ${m.period}`}
                  >
                    History
                  </button>
                  {canWrite && (
                    <>
                      <button type="button" onClick={() => onEdit(m)} aria-label={`Edit ${m.period}`}>
                        Edit
                      </button>
                      <button type="button" className="danger" onClick={() => setDeleting(m)} aria-label={`Delete ${m.period}`}>
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
              {open === m.period && (
                <tr id={`revisions-${m.period}`} className="revisions-row">
                  <td colSpan={8}>
                    <Revisions kpi={kpi} period={m.period} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      <p id="values-count" className="muted">
        {Math.min(shown, rows.length)} of {rows.length} values shown, newest first.
      </p>
      {shown < rows.length && (
        <button type="button" onClick={() => setShown((n) => n + rowsPerPage)}>
          Show {Math.min(rowsPerPage, rows.length - shown)} more
        </button>
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title={`Delete the value of ${deleting?.period ?? ''}?`}
        confirmLabel="Delete value"
        danger
        busy={remove.isPending}
        onClose={() => setDeleting(undefined)}
        onConfirm={() => {
          if (!deleting) return;
          const period = deleting.period;
          remove.mutate(period, {
            onSuccess: () => {
              setProblem(undefined);
              onChanged(`The value of ${period} is deleted; it stays in the period's history.`);
            },
            onError: (e) => setProblem(problemOf(e)),
            onSettled: () => setDeleting(undefined),
          });
        }}
      >
        <p>The period will have no value. The deleted value stays in its history.</p>
      </ConfirmDialog>
    </>
  );
}

function Revisions({ kpi, period }: { kpi: Kpi; period: string }) {
  const revisions = useQuery(revisionsQueryOptions(kpi.key, period));
  if (revisions.isPending) return <p role="status">Loading the history of {period}…</p>;
  if (revisions.isError) return <ProblemAlert problem={problemOf(revisions.error)} />;
  return (
    <table className="revisions">
      <caption>History of {period}, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Value</th>
          <th scope="col">State</th>
          <th scope="col">Source</th>
          <th scope="col">Recorded</th>
          <th scope="col">Ended</th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {revisions.data.revisions.map((r, i) => (
          <tr key={i}>
            <td className="num">{formatValue(r.value, kpi.valueType, kpi.unit)}</td>
            <td>{r.state}</td>
            <td>{r.source}</td>
            <td>
              {formatDateTime(r.recordedAt)} by {r.recordedBy ?? '–'}
            </td>
            <td>{r.endedAt ? `${formatDateTime(r.endedAt)} by ${r.endedBy ?? '–'}` : '–'}</td>
            <td>{r.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
