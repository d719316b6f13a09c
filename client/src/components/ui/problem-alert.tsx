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

/**
 * A form's failed save in one place: a stale edit (412) with Reload that keeps the input, any other refusal as it is,
 * or the errors the form could not tie to a field, or a pointer to the fields that carry theirs.
 */
export function FormProblemAlert({ problem, what, other, fieldErrorCount, onReload }: {
  problem?: Problem;
  what: string;
  other: string[];
  fieldErrorCount: number;
  onReload: () => void;
}) {
  if (problem?.status === 412)
    return (
      <ProblemAlert messages={[`This ${what} was changed meanwhile by someone else. Reload to get their version; your input is kept.`]}>
        <button type="button" onClick={onReload}>
          Reload
        </button>
      </ProblemAlert>
    );
  if (problem && problem.status !== 400) return <ProblemAlert problem={problem} />;
  if (other.length > 0) return <ProblemAlert messages={other} />;
  if (fieldErrorCount > 0) return <ProblemAlert messages={[`Check the ${fieldErrorCount === 1 ? 'field' : 'fields'} marked below.`]} />;
  return null;
}
