import { useInfiniteQuery } from '@tanstack/react-query';

import { Loading } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Kpi } from '@/lib/api/types';
import { aggregationWords, formatDateTime, formatValue } from '@/lib/format';
import { problemOf } from '@/lib/problem';

import { kpiEventsQueryOptions } from '../api/events';

/** The recent events of a KPI fed by events, newest occurrence first; a late one (it changed an ended period) says so. */
export function KpiEvents({ kpi }: { kpi: Kpi }) {
  const events = useInfiniteQuery(kpiEventsQueryOptions(kpi.key));
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section aria-labelledby="events-title">
      <h2 id="events-title">Events</h2>
      <p>
        Fed by events: each period’s value is the {aggregationWords[kpi.aggregation].toLowerCase()} of its events. Integrations record them with{' '}
        <code>POST /api/v1/kpis/{kpi.key}/events</code>.
      </p>
      {events.isPending ? (
        <Loading what="events" />
      ) : events.isError ? (
        <ProblemAlert problem={problemOf(events.error)} />
      ) : items.length === 0 ? (
        <p>No events recorded yet.</p>
      ) : (
        <>
          <table className="values" aria-describedby="events-count">
            <caption>Recent events</caption>
            <thead>
              <tr>
                <th scope="col">Occurred at</th>
                <th scope="col">Period</th>
                <th scope="col">Value</th>
                <th scope="col">Event id</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} data-event={e.eventId ?? e.id}>
                  <th scope="row">{formatDateTime(e.occurredAt)}</th>
                  <td>{e.period}</td>
                  <td className="num">{e.value === null || e.value === undefined ? '–' : formatValue(e.value, kpi.valueType, kpi.unit)}</td>
                  <td>{e.eventId ?? '–'}</td>
                  <td>
                    {formatDateTime(e.recordedAt)}
                    {e.late && <span className="muted"> (late: after its period ended)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p id="events-count" className="muted">
            {items.length} {items.length === 1 ? 'event' : 'events'} shown, newest first.
          </p>
          {events.hasNextPage && (
            <button type="button" disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
              {events.isFetchingNextPage ? 'Loading…' : 'Show older events'}
            </button>
          )}
        </>
      )}
    </section>
  );
}
