import { useQuery } from '@tanstack/react-query';

import { Loading } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { StatusBadge } from '@/components/ui/status-badge';
import { explanationQueryOptions } from '@/features/measurements/api/measurements';
import type { Kpi } from '@/lib/api/types';
import { aggregationWords, formatNumber, formatValue } from '@/lib/format';
import { problemOf } from '@/lib/problem';

/** A computed KPI's value for one period: its formula, each input read with its periods and value, and the result, or why there is none. */
export function ValueExplanation({ kpi, period }: { kpi: Kpi; period: string }) {
  const explanation = useQuery(explanationQueryOptions(kpi.key, period));
  if (explanation.isPending) return <Loading what="the explanation" />;
  if (explanation.isError) return <ProblemAlert problem={problemOf(explanation.error)} />;
  const e = explanation.data;
  return (
    <div className="explanation">
      <p>
        <code>{e.formula}</code> for {e.period}:{' '}
        {e.value === undefined || e.value === null ? (
          <strong>no value</strong>
        ) : (
          <>
            <strong>{formatValue(e.value, kpi.valueType, kpi.unit)}</strong> <StatusBadge status={e.status} />
          </>
        )}
      </p>
      {e.noValue && <p className="alert alert-info">{e.noValue.message}</p>}
      <table>
        <caption>Inputs read for {e.period}</caption>
        <thead>
          <tr>
            <th scope="col">KPI</th>
            <th scope="col">Read as</th>
            <th scope="col">Periods</th>
            <th scope="col">Value</th>
            <th scope="col">Rolled up</th>
          </tr>
        </thead>
        <tbody>
          {e.inputs.map((input, i) => (
            <tr key={i}>
              <th scope="row">{input.kpi}</th>
              <td>{input.use}</td>
              <td>{input.periods.join(', ')}</td>
              <td>{input.value === null ? 'no value' : formatNumber(input.value)}</td>
              <td>{input.aggregation ? `${aggregationWords[input.aggregation]} of ${input.values} values` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
