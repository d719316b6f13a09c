import { useQuery } from '@tanstack/react-query';
import { useRouterState } from '@tanstack/react-router';

import { cyclesQueryOptions, defaultCycle } from '@/features/okrs/api/cycles';

const storageKey = 'okrkpi:cycle';

/** The cycle pages of a cycle show: /cycles/$cycleId/… and /okrs?cycle= name it; elsewhere the last one chosen. */
export function cycleInAddress(pathname: string, search: Record<string, unknown>): string | undefined {
  const match = /^\/cycles\/([^/]+)\/(alignment|matrix|review)$/.exec(pathname);
  if (match) return decodeURIComponent(match[1]!);
  return pathname === '/okrs' && typeof search.cycle === 'string' && search.cycle ? search.cycle : undefined;
}

export function rememberCycle(cycleId: string) {
  try {
    localStorage.setItem(storageKey, cycleId);
  } catch {
    // Storage disabled: the picker still works for this page.
  }
}

function rememberedCycle(): string | undefined {
  try {
    return localStorage.getItem(storageKey) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The chosen cycle of the shell's picker: the one in the address, else the one chosen last (this browser), else the
 * active cycle that started last. Undefined only while the cycles load (or when there are none).
 */
export function useChosenCycle() {
  const cycles = useQuery(cyclesQueryOptions);
  const location = useRouterState({ select: (s) => s.location });
  const list = cycles.data ?? [];
  const inAddress = cycleInAddress(location.pathname, location.search as Record<string, unknown>);
  const remembered = rememberedCycle();
  const cycleId = inAddress ?? (remembered && list.some((c) => c.id === remembered) ? remembered : defaultCycle(list)?.id);
  return { cycles: list, cycleId, cycle: list.find((c) => c.id === cycleId), loading: cycles.isPending };
}
