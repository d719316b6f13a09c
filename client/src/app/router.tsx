import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';

import type { AuditFilters } from '@/features/audit/api/audit';
import { kpiQueryOptions } from '@/features/kpis/api/kpis';
import { type DashboardFilters, dashboardQueryOptions } from '@/features/measurements/api/dashboard';
import { seriesQueryOptions } from '@/features/measurements/api/measurements';
import { sessionQueryOptions } from '@/features/session/api/session';
import { teamsQueryOptions } from '@/features/teams/api/teams';
import { lastPeriods } from '@/lib/periods';
import { ApiError } from '@/lib/problem';
import { isDisplayStatus } from '@/lib/status';

import { safeRedirect } from './redirect';
import { LoginPage } from './routes/login';
import { NotFound } from './routes/not-found';
import { RouteError } from './routes/route-error';
import { Shell } from './shell';
import { DashboardPage, DashboardPending } from './routes/dashboard';

export interface RouterContext {
  queryClient: QueryClient;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({ redirect: safeRedirect(search.redirect) }),
  component: LoginPage,
});

/**
 * Every page but sign-in: the session is read, and a 401 leads to sign-in with the way back. A loader, not beforeLoad:
 * loaders of a route and its children run side by side, so the page's own requests go out with the session's.
 */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  loader: async ({ context, location }) => {
    try {
      return { session: await context.queryClient.ensureQueryData(sessionQueryOptions) };
    } catch (error) {
      if (error instanceof ApiError && error.problem.status === 401) {
        throw redirect({ to: '/login', search: { redirect: location.href === '/' ? undefined : location.href } });
      }
      throw error;
    }
  },
  component: Shell,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/kpis' });
  },
});

export const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpis',
  validateSearch: (search: Record<string, unknown>): DashboardFilters => ({
    team: text(search.team),
    tag: text(search.tag),
    status: isDisplayStatus(search.status) ? search.status : undefined,
  }),
  loaderDeps: ({ search }) => search,
  // The requests start as the route matches, not after the first render; the page reads the same queries. On a first
  // visit the route waits for the rows (prefetch never throws: a failure shows in the page), so that the shell and the
  // table appear in one render and one layout instead of a loading state first; rows already read show at once and
  // refresh in the background. The teams only fill the filter's choices and never hold the page.
  loader: async ({ context, deps }) => {
    void context.queryClient.prefetchQuery(teamsQueryOptions);
    const dashboard = dashboardQueryOptions(deps);
    const rows = context.queryClient.prefetchInfiniteQuery(dashboard);
    if (context.queryClient.getQueryData(dashboard.queryKey) === undefined) await rows;
  },
  // Past this the shell shows with the page's loading state instead of waiting on a slow answer.
  pendingMs: 500,
  pendingComponent: DashboardPending,
  component: DashboardPage,
});

export const kpiNewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpis/new',
  component: lazyRouteComponent(() => import('./routes/kpi-form-page'), 'KpiNewPage'),
});

export const rangeOptions = [30, 90, 365] as const;
export const maxRange = 5000;

export const kpiRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpis/$key',
  validateSearch: (search: Record<string, unknown>): { range?: number } => {
    const n = Number(search.range);
    return { range: Number.isInteger(n) && n >= 1 && n <= maxRange ? n : undefined };
  },
  loaderDeps: ({ search }) => ({ range: search.range ?? 30 }),
  // The page's code, the KPI, its values and the chart's code load side by side instead of one after the other.
  loader: ({ context, params, deps }) => {
    void import('@/features/measurements/components/series-chart');
    void context.queryClient
      .ensureQueryData(kpiQueryOptions(params.key))
      .then((kpi) => context.queryClient.prefetchQuery(seriesQueryOptions(params.key, lastPeriods(kpi.frequency, new Date(), deps.range))))
      .catch(() => undefined); // the page shows the failure from its own query
  },
  component: lazyRouteComponent(() => import('./routes/kpi-detail'), 'KpiDetailPage'),
});

export const kpiEditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kpis/$key/edit',
  component: lazyRouteComponent(() => import('./routes/kpi-form-page'), 'KpiEditPage'),
});

const importRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/import',
  component: lazyRouteComponent(() => import('./routes/import-page'), 'ImportPage'),
});

export const tokensRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tokens',
  validateSearch: (search: Record<string, unknown>): { all?: boolean } => ({ all: search.all === true || search.all === 'true' ? true : undefined }),
  component: lazyRouteComponent(() => import('./routes/tokens-page'), 'TokensPage'),
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('./routes/account-page'), 'AccountPage'),
});

const peopleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/people',
  component: lazyRouteComponent(() => import('./routes/admin-pages'), 'PeoplePage'),
});

const teamsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/teams',
  component: lazyRouteComponent(() => import('./routes/admin-pages'), 'TeamsPage'),
});

export const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin/audit',
  validateSearch: (search: Record<string, unknown>): AuditFilters => ({
    actor: text(search.actor),
    entity: text(search.entity),
    entityId: text(search.entityId),
    action: text(search.action),
    from: text(search.from),
    to: text(search.to),
  }),
  component: lazyRouteComponent(() => import('./routes/admin-pages'), 'AuditPage'),
});

export interface OkrSearch {
  cycle?: string;
  team?: string;
  /** Every objective of the cycle instead of "mine". */
  all?: boolean;
}

export const okrsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/okrs',
  validateSearch: (search: Record<string, unknown>): OkrSearch => ({
    cycle: text(search.cycle),
    team: text(search.team),
    all: search.all === true || search.all === 'true' || search.all === 1 || search.all === '1' ? true : undefined,
  }),
  component: lazyRouteComponent(() => import('./routes/okrs-page'), 'OkrsPage'),
});

const checkInRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/check-in',
  component: lazyRouteComponent(() => import('./routes/check-in-page'), 'CheckInPage'),
});

export const objectiveNewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/objectives/new',
  validateSearch: (search: Record<string, unknown>): { cycle?: string; parent?: string } => ({ cycle: text(search.cycle), parent: text(search.parent) }),
  component: lazyRouteComponent(() => import('./routes/objective-form-page'), 'ObjectiveNewPage'),
});

export const objectiveRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/objectives/$objectiveId',
  component: lazyRouteComponent(() => import('./routes/objective-page'), 'ObjectivePage'),
});

export const objectiveEditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/objectives/$objectiveId/edit',
  component: lazyRouteComponent(() => import('./routes/objective-form-page'), 'ObjectiveEditPage'),
});

const cyclesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cycles',
  component: lazyRouteComponent(() => import('./routes/cycles-page'), 'CyclesPage'),
});

export const alignmentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cycles/$cycleId/alignment',
  component: lazyRouteComponent(() => import('./routes/cycle-views'), 'AlignmentPage'),
});

export const matrixRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cycles/$cycleId/matrix',
  component: lazyRouteComponent(() => import('./routes/cycle-views'), 'MatrixPage'),
});

/** The matrix across a range of cycles: `from` and `to` name the first and the last cycle. */
export const matrixAcrossRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cycles/matrix',
  validateSearch: (search: Record<string, unknown>): { from?: string; to?: string } => ({ from: text(search.from), to: text(search.to) }),
  component: lazyRouteComponent(() => import('./routes/matrix-across-page'), 'MatrixAcrossPage'),
});

export const reviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cycles/$cycleId/review',
  component: lazyRouteComponent(() => import('./routes/cycle-views'), 'ReviewPage'),
});

export const alertsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts',
  validateSearch: (search: Record<string, unknown>): { unread?: boolean } => ({ unread: search.unread === true || search.unread === 'true' ? true : undefined }),
  component: lazyRouteComponent(() => import('./routes/alerts-page'), 'AlertsPage'),
});

const webhooksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/webhooks',
  component: lazyRouteComponent(() => import('./routes/webhooks-page'), 'WebhooksPage'),
});

export const webhookRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/webhooks/$webhookId',
  component: lazyRouteComponent(() => import('./routes/webhooks-page'), 'WebhookPage'),
});

const integrationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/integrations',
  component: lazyRouteComponent(() => import('./routes/integrations-page'), 'IntegrationsPage'),
});

export const receiverRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/integrations/receivers/$receiverId',
  component: lazyRouteComponent(() => import('./routes/integrations-page'), 'ReceiverPage'),
});

const serviceAccountsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/integrations/service-accounts',
  component: lazyRouteComponent(() => import('./routes/integrations-page'), 'ServiceAccountsPage'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([indexRoute, dashboardRoute, kpiNewRoute, kpiRoute, kpiEditRoute, importRoute, tokensRoute, accountRoute, peopleRoute,
    teamsRoute,
    auditRoute,
    okrsRoute,
    checkInRoute,
    objectiveNewRoute,
    objectiveRoute,
    objectiveEditRoute,
    cyclesRoute,
    alignmentRoute,
    matrixRoute,
    matrixAcrossRoute,
    reviewRoute,
    alertsRoute,
    webhooksRoute,
    webhookRoute,
    integrationsRoute,
    receiverRoute,
    serviceAccountsRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Queries cache the data; the router only decides what to show.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
    notFoundMode: 'root',
    defaultErrorComponent: RouteError,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
