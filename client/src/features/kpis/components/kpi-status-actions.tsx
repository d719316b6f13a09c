import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Kpi } from '@/lib/api/types';
import { type Problem, problemOf } from '@/lib/problem';

import { useSetKpiStatus } from '../api/kpis';

/** Retire (no new values, history kept) or reactivate, after a confirmation. */
export function KpiStatusActions({ kpi, onChanged }: { kpi: Kpi; onChanged: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const setStatus = useSetKpiStatus();
  const action = kpi.status === 'retired' ? 'reactivate' : 'retire';
  const label = action === 'retire' ? 'Retire KPI' : 'Reactivate KPI';
  return (
    <>
      <button type="button" className={action === 'retire' ? 'danger' : undefined} onClick={() => setOpen(true)}>
        {label}
      </button>
      {problem && <ProblemAlert problem={problem} />}
      <ConfirmDialog
        open={open}
        title={action === 'retire' ? `Retire ${kpi.name}?` : `Reactivate ${kpi.name}?`}
        confirmLabel={label}
        danger={action === 'retire'}
        busy={setStatus.isPending}
        onClose={() => setOpen(false)}
        onConfirm={() =>
          setStatus.mutate(
            { kpi, action },
            {
              onSuccess: () => {
                setProblem(undefined);
                onChanged(action === 'retire' ? `${kpi.name} is retired.` : `${kpi.name} is active again.`);
              },
              onError: (e) => setProblem(problemOf(e)),
              onSettled: () => setOpen(false),
            },
          )
        }
      >
        <p>
          {action === 'retire'
            ? 'A retired KPI takes no new values; its history stays and it leaves the dashboard. You can reactivate it later.'
            : 'The KPI takes values again and returns to the dashboard.'}
        </p>
      </ConfirmDialog>
    </>
  );
}
