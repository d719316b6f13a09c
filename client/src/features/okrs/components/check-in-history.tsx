import { useQuery } from '@tanstack/react-query';

import { ProblemAlert } from '@/components/ui/problem-alert';
import type { KeyResult } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { keyResultValue } from '@/lib/okr-health';
import { problemOf } from '@/lib/problem';

import { checkInsQueryOptions } from '../api/objectives';

/** Who checked in what and when, newest first (the last 50). */
export function CheckInHistory({ kr }: { kr: KeyResult }) {
  const checkIns = useQuery(checkInsQueryOptions(kr.id));
  if (checkIns.isPending) return <p className="muted small">Loading check-ins…</p>;
  if (checkIns.isError) return <ProblemAlert problem={problemOf(checkIns.error)} />;
  const items = checkIns.data.items;
  if (items.length === 0) return <p className="muted small">No check-ins yet.</p>;
  return (
    <table className="check-ins">
      <caption>Check-ins of {kr.title}, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Value</th>
          <th scope="col">Confidence</th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id}>
            <td>{formatDateTime(c.createdAt)}</td>
            <td>{c.author}</td>
            <td className="num">
              {keyResultValue(kr, c.value)}
              {c.valueSource === 'kpi' && <span className="muted small"> (from the KPI)</span>}
            </td>
            <td className="num">{c.confidence === null ? '–' : `${c.confidence}/10`}</td>
            <td>{c.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
