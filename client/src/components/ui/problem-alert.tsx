import type { ReactNode } from 'react';

import { describeProblem, type Problem } from '@/lib/problem';

/** A failed request explained in one place, announced at once (role=alert). */
export function ProblemAlert({ problem, messages, children }: { problem?: Problem; messages?: string[]; children?: ReactNode }) {
  const lines = messages ?? (problem ? [describeProblem(problem)] : []);
  if (lines.length === 0 && !children) return null;
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1}>
      {lines.length === 1 ? <p>{lines[0]}</p> : <ul>{lines.map((line, i) => <li key={i}>{line}</li>)}</ul>}
      {children}
    </div>
  );
}
