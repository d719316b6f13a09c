import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import { unreadAlertsQueryOptions } from '../api/alerts';

/** The shell's bell: a link to the alerts with the unread count in its name ("Alerts, 3 unread"). */
export function AlertBell() {
  const unread = useQuery(unreadAlertsQueryOptions);
  const count = unread.data ?? 0;
  const name = unread.isSuccess ? `Alerts, ${count === 0 ? 'none' : count} unread` : 'Alerts';
  return (
    <Link to="/alerts" className="alert-bell" aria-label={name} title={name}>
      <span aria-hidden="true">🔔</span>
      {count > 0 && (
        <span className="alert-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
