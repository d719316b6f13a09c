import { useNavigate, useRouterState } from '@tanstack/react-router';

import { rememberCycle, useChosenCycle } from './cycle-choice';

const statusWords = { planning: 'planning', active: 'active', closed: 'closed' } as const;

/**
 * The shell's cycle picker. On a cycle view it shows the same view of the chosen cycle, on the OKRs page that cycle's
 * objectives; elsewhere it remembers the choice for the next OKR page. A plain select: the keyboard and screen readers
 * know it, and choosing moves at once (a change of context the label announces).
 */
export function CyclePicker() {
  const { cycles, cycleId } = useChosenCycle();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const navigate = useNavigate();
  if (cycles.length === 0) return null;

  const choose = (id: string) => {
    rememberCycle(id);
    const view = /^\/cycles\/[^/]+\/(alignment|matrix|review)$/.exec(pathname)?.[1] as 'alignment' | 'matrix' | 'review' | undefined;
    if (view) void navigate({ to: `/cycles/$cycleId/${view}`, params: { cycleId: id } });
    // On the OKRs page the view (mine, a team, all) stays; elsewhere the cycle's OKRs open as "mine".
    else if (pathname === '/okrs') void navigate({ to: '/okrs', search: (prev) => ({ ...prev, cycle: id }) });
    else void navigate({ to: '/okrs', search: { cycle: id } });
  };

  return (
    <div className="cycle-picker">
      <label htmlFor="cycle-picker">Cycle</label>
      <select id="cycle-picker" value={cycleId ?? ''} onChange={(e) => choose(e.target.value)} aria-describedby="cycle-picker-hint">
        {cycles.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({statusWords[c.status]})
          </option>
        ))}
      </select>
      <span id="cycle-picker-hint" className="visually-hidden">
        Choosing a cycle opens its OKRs
      </span>
    </div>
  );
}
