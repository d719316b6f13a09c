import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';

import { usePageTitle } from '@/components/ui/page-title';
import { AlertList } from '@/features/alerts/components/alert-list';

import { alertsRoute } from '../router';

/** In-app alerts: what changed about the KPIs and objectives one owns or follows, newest first; mark read. */
export function AlertsPage() {
  usePageTitle('Alerts');
  const { unread = false } = alertsRoute.useSearch();
  const navigate = useNavigate();
  const [message, setMessage] = useState('');
  return (
    <>
      <h1>Alerts</h1>
      <p className="help">
        Changes to the KPIs and objectives of your teams, your key results, and what you follow (the Follow button on a KPI or an objective).
      </p>
      <p role="status" className="announce">
        {message}
      </p>
      <label className="check">
        <input type="checkbox" checked={unread} onChange={(e) => void navigate({ to: '/alerts', search: { unread: e.target.checked || undefined }, replace: true })} />
        Unread only
      </label>
      <AlertList unreadOnly={unread} onAnnounce={setMessage} />
    </>
  );
}
