import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';

import { Loading } from '@/components/ui/page-title';
import { QueryPager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Alert } from '@/lib/api/types';
import { eventTypeWord } from '@/lib/events';
import { formatDateTime } from '@/lib/format';
import { type Problem, problemOf } from '@/lib/problem';

import { alertsQueryOptions, useMarkAlertRead, useMarkAllAlertsRead } from '../api/alerts';

/** A person's alerts, newest first: each says what happened in words, links to its KPI or objective, and is marked read one by one or all at once. */
export function AlertList({ unreadOnly, onAnnounce }: { unreadOnly: boolean; onAnnounce: (message: string) => void }) {
  const alerts = useInfiniteQuery(alertsQueryOptions(unreadOnly));
  const markOne = useMarkAlertRead();
  const markAll = useMarkAllAlertsRead();
  const [problem, setProblem] = useState<Problem>();
  if (alerts.isPending) return <Loading what="your alerts" />;
  if (alerts.isError) return <ProblemAlert problem={problemOf(alerts.error)} />;
  const items = alerts.data.pages.flatMap((p) => p.items);
  const unread = alerts.data.pages[0]?.unreadCount ?? 0;
  const failed = (e: unknown) => setProblem(problemOf(e));
  return (
    <>
      {problem && <ProblemAlert problem={problem} />}
      <div className="actions">
        <p className="muted">{unread === 0 ? 'No unread alerts.' : `${unread} unread.`}</p>
        {unread > 0 && (
          <button
            type="button"
            disabled={markAll.isPending}
            onClick={() => markAll.mutate(undefined, { onSuccess: () => { setProblem(undefined); onAnnounce('Every alert is marked read.'); }, onError: failed })}
          >
            Mark all read
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <p>{unreadOnly ? 'Nothing unread.' : 'No alerts yet. You get them for KPIs and objectives of your teams, your key results, and what you follow.'}</p>
      ) : (
        <ul className="alert-list">
          {items.map((a) => (
            <li key={a.id} className={a.readAt ? 'alert-item' : 'alert-item unread'} data-alert={a.id}>
              <p className="alert-state">
                {a.readAt ? (
                  <span className="muted">Read</span>
                ) : (
                  <strong>
                    <span aria-hidden="true">● </span>Unread
                  </strong>
                )}{' '}
                <span className="muted">
                  · {eventTypeWord(a.type)} · {formatDateTime(a.occurredAt)}
                </span>
              </p>
              <p className="alert-summary">{a.summary}</p>
              <p className="alert-links">
                <SubjectLink alert={a} />
                {!a.readAt && (
                  <button
                    type="button"
                    aria-label={`Mark read: ${a.summary}`}
                    disabled={markOne.isPending}
                    onClick={() => markOne.mutate(a, { onSuccess: () => { setProblem(undefined); onAnnounce('Alert marked read.'); }, onError: failed })}
                  >
                    Mark read
                  </button>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
      <QueryPager query={alerts} noun="alerts" />
    </>
  );
}

function SubjectLink({ alert }: { alert: Alert }) {
  if (alert.kpiKey) {
    return (
      <Link to="/kpis/$key" params={{ key: alert.kpiKey }}>
        Open the KPI <span className="visually-hidden">of: {alert.summary}</span>
      </Link>
    );
  }
  if (alert.objectiveId) {
    return (
      <Link to="/objectives/$objectiveId" params={{ objectiveId: alert.objectiveId }}>
        Open the objective <span className="visually-hidden">of: {alert.summary}</span>
      </Link>
    );
  }
  if (alert.type === 'webhook.disabled') return <Link to="/webhooks">Open the webhooks</Link>;
  return null;
}
