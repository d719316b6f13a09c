import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';

import { AlertBell } from '@/features/alerts/components/alert-bell';
import { sessionQueryOptions, useSignOut } from '@/features/session/api/session';
import { canWrite, isAdmin } from '@/lib/permissions';

import { CyclePicker } from './cycle-picker';
import { useChosenCycle } from './cycle-choice';

const roleWords = { admin: 'Admin', editor: 'Editor', viewer: 'Viewer' } as const;

/** The frame of every signed-in page: skip link, navigation, who is signed in and their role, sign out. */
export function Shell() {
  const session = useQuery(sessionQueryOptions);
  const signOut = useSignOut();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a navigation, focus moves to the new page (its <main>), as a page load would; not on the first load, where
  // the browser starts at the top and the skip link.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
  }, [pathname]);

  const user = session.data?.user;
  const admin = isAdmin(user);
  const { cycleId } = useChosenCycle();
  // The cycle views need a cycle; until the cycles are read (or when there is none) they lead to the list of cycles.
  const cycleView = (view: 'alignment' | 'matrix' | 'review') =>
    cycleId ? ({ to: `/cycles/$cycleId/${view}`, params: { cycleId } } as const) : ({ to: '/cycles' } as const);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand" aria-hidden="true">
          OkrKpi
        </span>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/kpis" activeOptions={{ exact: false, includeSearch: false }}>
                KPIs
              </Link>
            </li>
            <li>
              <Link to="/okrs" activeOptions={{ includeSearch: false }}>
                OKRs
              </Link>
            </li>
            <li>
              <Link to="/check-in">Check-in</Link>
            </li>
            <li>
              <Link {...cycleView('alignment')}>Alignment</Link>
            </li>
            <li>
              <Link {...cycleView('matrix')}>Matrix</Link>
            </li>
            <li>
              <Link {...cycleView('review')}>Review</Link>
            </li>
            <li>
              <Link to="/cycles" activeOptions={{ exact: true }}>
                Cycles
              </Link>
            </li>
            <li>
              <Link to="/import">Import &amp; export</Link>
            </li>
            <li>
              <Link to="/tokens">API tokens</Link>
            </li>
            {canWrite(user) && (
              <li>
                <Link to="/webhooks">Webhooks</Link>
              </li>
            )}
            {admin && (
              <>
                <li>
                  <Link to="/admin/people">People</Link>
                </li>
                <li>
                  <Link to="/admin/teams">Teams</Link>
                </li>
                <li>
                  <Link to="/admin/audit">Audit log</Link>
                </li>
                <li>
                  <Link to="/integrations">Integrations</Link>
                </li>
              </>
            )}
          </ul>
        </nav>
        <CyclePicker />
        <div className="who">
          <AlertBell />
          {user && (
            <Link to="/account" className="who-name" aria-label={`Account of ${user.displayName}, ${roleWords[user.role]}`}>
              {user.displayName} <span className={`role role-${user.role}`}>{roleWords[user.role]}</span>
            </Link>
          )}
          <button
            type="button"
            onClick={() =>
              signOut.mutate(undefined, {
                onSettled: () => void navigate({ to: '/login', search: {} }),
              })
            }
            disabled={signOut.isPending}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
