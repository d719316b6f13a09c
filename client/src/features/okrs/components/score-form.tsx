import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Objective } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useScoreObjective } from '../api/objectives';

/** After close: the score (0.0–1.0) with the note that says why it differs from the progress (required). */
export function ScoreForm({ objective, onScored }: { objective: Objective; onScored: (message: string) => void }) {
  const fresh = () => ({ score: objective.score === null ? '' : String(objective.score), note: objective.scoreNote ?? '' });
  const draft = useDraft(`score:${objective.id}`, fresh);
  const score = useScoreObjective();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const text = draft.value.score.trim();
    const value = Number(text);
    const found: Record<string, string> = {};
    if (!/^(0(\.\d{1,4})?|1(\.0{1,4})?|\.\d{1,4})$/.test(text) || value > 1) found.score = 'Enter a score from 0.0 to 1.0 (up to 4 decimals), such as 0.7.';
    if (!draft.value.note.trim()) found.note = 'Say why: the note is required.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    score.mutate(
      { objective, body: { score: value, note: draft.value.note.trim() } },
      {
        onSuccess: (saved) => {
          draft.clear({ score: String(saved.score ?? ''), note: saved.scoreNote ?? '' });
          onScored(`Scored ${saved.score ?? value}.`);
        },
        onError: (error) => {
          const p = problemOf(error);
          setProblem(p);
          if (p.status === 400) setErrors(problemToFormErrors(p, ['score', 'note']).fields);
        },
      },
    );
  };
  return (
    <form className="record-form" onSubmit={submit} noValidate aria-label="Score">
      <h2>Score</h2>
      <p className="muted">
        Closing set the score to the progress. Another score needs a note saying why; it is audited and survives a reopen.
      </p>
      {problem && problem.status !== 400 && <ProblemAlert problem={problem} />}
      <div className="row">
        <Field label="Score" required hint="0.0 to 1.0." error={errors.score}>
          {(c) => <input {...c} name="score" inputMode="decimal" value={draft.value.score} onChange={(e) => draft.setValue((d) => ({ ...d, score: e.target.value }))} />}
        </Field>
        <Field label="Reason" required error={errors.note}>
          {(c) => <textarea {...c} name="note" rows={2} maxLength={1000} value={draft.value.note} onChange={(e) => draft.setValue((d) => ({ ...d, note: e.target.value }))} />}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={score.isPending}>
        Save score
      </button>
    </form>
  );
}
