import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Cycle, Objective } from '@/lib/api/types';
import { type Problem, problemOf } from '@/lib/problem';

import { useCarryOver } from '../api/objectives';

/** Copy the objective into a later cycle that is not closed, with the key results chosen (unfinished ones by default). */
export function CarryOverForm({
  objective,
  cycles,
  onDone,
  onCancel,
}: {
  objective: Objective;
  cycles: Cycle[];
  onDone: (copy: Objective) => void;
  onCancel: () => void;
}) {
  const own = cycles.find((c) => c.id === objective.cycleId);
  const later = cycles.filter((c) => c.status !== 'closed' && own !== undefined && c.startDate > own.startDate);
  const [cycleId, setCycleId] = useState(later[later.length - 1]?.id ?? '');
  const [chosen, setChosen] = useState(() => new Set(objective.keyResults.filter((kr) => kr.progress < 1).map((kr) => kr.id)));
  const carry = useCarryOver();
  const [problem, setProblem] = useState<Problem>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    carry.mutate(
      { objectiveId: objective.id, body: { cycleId, keyResultIds: [...chosen] } },
      { onSuccess: onDone, onError: (e) => setProblem(problemOf(e)) },
    );
  };
  if (later.length === 0) {
    return (
      <>
        <p>There is no later cycle that is open. An admin creates the next one on the Cycles page.</p>
        <button type="button" onClick={onCancel}>
          Close
        </button>
      </>
    );
  }
  return (
    <form onSubmit={submit} aria-label={`Carry over ${objective.title}`}>
      {problem && <ProblemAlert problem={problem} />}
      <Field label="Into cycle" required>
        {(c) => (
          <select {...c} value={cycleId} onChange={(e) => setCycleId(e.target.value)}>
            {later.map((cy) => (
              <option key={cy.id} value={cy.id}>
                {cy.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Key results to take along</legend>
        {objective.keyResults.map((kr) => (
          <label key={kr.id} className="radio">
            <input
              type="checkbox"
              checked={chosen.has(kr.id)}
              onChange={(e) =>
                setChosen((s) => {
                  const next = new Set(s);
                  if (e.target.checked) next.add(kr.id);
                  else next.delete(kr.id);
                  return next;
                })
              }
            />{' '}
            {kr.title}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={carry.isPending || !cycleId}>
          Carry over
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
