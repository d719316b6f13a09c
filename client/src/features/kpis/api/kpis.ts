import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, type ImportRequest, postImport, unwrap } from '@/lib/api-client';
import type { Answer, Body, Kpi, KpiInput } from '@/lib/api/types';

export const kpiQueryOptions = (idOrKey: string) =>
  queryOptions({
    queryKey: ['kpis', idOrKey],
    queryFn: () => unwrap(api.GET('/api/v1/kpis/{idOrKey}', { params: { path: { idOrKey } } })),
  });

/** KPI keys for pickers (token restrictions, export filters, key results and objectives): the catalogue's pages followed to the end. */
export const kpiKeysQueryOptions = queryOptions({
  queryKey: ['kpis', 'keys'],
  queryFn: async () => {
    const kpis: Pick<Kpi, 'id' | 'key' | 'name' | 'status'>[] = [];
    let cursor: string | undefined;
    do {
      const page = await unwrap(api.GET('/api/v1/kpis', { params: { query: { limit: 200, cursor } } }));
      kpis.push(...page.items.map(({ id, key, name, status }) => ({ id, key, name, status })));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && kpis.length < 10_000);
    return kpis;
  },
  staleTime: 60_000,
});

export type FormulaCheck = Answer<'CheckFormula'>;
export type FormulaCheckRequest = Body<'CheckFormula'>;

/** What a formula references and what is wrong with it, by the KPI write's own rules; nothing is saved. */
export const formulaCheckQueryOptions = (body: FormulaCheckRequest) =>
  queryOptions({
    queryKey: ['kpis', 'formula-check', body],
    queryFn: () => unwrap(api.POST('/api/v1/kpis/formula/check', { body })),
    // While the next check runs, the last answer stays on screen rather than flickering away at every key.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

function useKpisChanged() {
  const queryClient = useQueryClient();
  // Definitions feed the dashboard and the series too (target, status): refresh everything KPI-shaped.
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['kpis'] }),
      queryClient.invalidateQueries({ queryKey: ['dashboard'] }),
      queryClient.invalidateQueries({ queryKey: ['series'] }),
    ]);
}

export function useCreateKpi() {
  const changed = useKpisChanged();
  return useMutation({
    mutationFn: (body: KpiInput) => unwrap(api.POST('/api/v1/kpis', { body })),
    onSuccess: changed,
  });
}

/** PUT with If-Match: a stale version answers 412 and nothing is overwritten. */
export function useUpdateKpi() {
  const changed = useKpisChanged();
  return useMutation({
    mutationFn: ({ idOrKey, version, body }: { idOrKey: string; version: number; body: KpiInput }) =>
      unwrap(api.PUT('/api/v1/kpis/{idOrKey}', { params: { path: { idOrKey }, header: { 'If-Match': `"${version}"` } }, body })),
    onSuccess: changed,
  });
}

export function useSetKpiStatus() {
  const changed = useKpisChanged();
  return useMutation({
    mutationFn: ({ kpi, action }: { kpi: Kpi; action: 'retire' | 'reactivate' }) => {
      const init = { params: { path: { idOrKey: kpi.key }, header: { 'If-Match': `"${kpi.version}"` } } };
      return unwrap(action === 'retire' ? api.POST('/api/v1/kpis/{idOrKey}/retire', init) : api.POST('/api/v1/kpis/{idOrKey}/reactivate', init));
    },
    onSuccess: changed,
  });
}

export type ImportResult = Answer<'ImportKpis'>;

/** A KPI catalogue file (upserted by key). */
export function useImportKpis() {
  const changed = useKpisChanged();
  return useMutation({
    mutationFn: (request: ImportRequest) => postImport<ImportResult>('/api/v1/kpis/import', request),
    onSuccess: (result) => (result.committed ? changed() : undefined),
  });
}
