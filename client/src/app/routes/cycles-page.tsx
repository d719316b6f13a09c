import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useCallback, useRef, useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { type CycleAction, cyclesQueryOptions, nextCycleQueryOptions, useCreateCycle, useCycleAction } from '@/features/okrs/api/cycles';
import { sessionQueryOptions } from '@/features/session/api/session';
import type { Cycle, CycleSuggestion } from '@/lib/api/types';
import { isAdmin } from '@/lib/permissions';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

const statusWords = { planning: '✎ Planning', active: '▶ Active', closed: '■ Closed' } as const;

const actionOf: Record<Cycle['status'], CycleAction> = { planning: 'activate', active: 'close', closed: 'reopen' };
const actionWords: Record<CycleAction, { button: string; explain: string; done: string }> = {
  activate: { button: 'Activate', explain: 'Objectives of an active cycle are checked in and judged against the elapsed time.', done: 'is active' },
  close: {
    button: 'Close',
    explain: 'Closing freezes every key result at its current value (KPI-linked ones stop following their KPI) and scores each objective with its progress. Nothing in it can be changed until an admin reopens it.',
    done: 'is closed',
  },
  reopen: { button: 'Reopen', explain: 'Reopening thaws the key results and withdraws the scores that were not edited with a note.', done: 'is active again' },
};

/** S10: every cycle, latest first, with the suggested next one; admins create, activate, close and reopen (each asks first). */
export function CyclesPage() {
  usePageTitle('Cycles');
  const session = useQuery(sessionQueryOptions);
  const cycles = useQuery(cyclesQueryOptions);
  const admin = isAdmin(session.data?.user);
  const next = useQuery({ ...nextCycleQueryOptions, enabled: admin });
  const create = useCreateCycle();
  const act = useCycleAction();
  const [pending, setPending] = useState<{ cycle: Cycle; action: CycleAction } | 'create'>();
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const close = useCallback(() => setPending(undefined), []);
  // The dialog stays mounted while it closes, so focus can return to the button that opened it.
  const lastAction = useRef<{ cycle: Cycle; action: CycleAction }>(undefined);
  if (typeof pending === 'object') lastAction.current = pending;
  const shown = lastAction.current;

  return (
    <>
      <h1>Cycles</h1>
      <p role="status" className="announce">
        {message}
      </p>
      {problem && <ProblemAlert problem={problem} />}
      {admin && next.data && (
        <div className="record-form">
          <h2>Next cycle</h2>
          <p>
            Suggested: <strong>{next.data.name}</strong> ({next.data.startDate} – {next.data.endDate}), the first whole quarter after the latest
            cycle.
          </p>
          <button type="button" className="primary" onClick={() => setPending('create')}>
            Create {next.data.name}
          </button>
          <OtherCycleForm suggestion={next.data} onCreated={(c) => setMessage(`${c.name} is created, in planning.`)} />
        </div>
      )}
      <p>
        <Link to="/cycles/matrix">OKR–KPI matrix across cycles</Link>
      </p>
      {cycles.isPending ? (
        <Loading what="cycles" />
      ) : cycles.isError ? (
        <ProblemAlert problem={problemOf(cycles.error)} />
      ) : cycles.data.length === 0 ? (
        <p>No cycles yet{admin ? '.' : '; an admin creates the first.'}</p>
      ) : (
        <table>
          <caption className="visually-hidden">Cycles, latest start first</caption>
          <thead>
            <tr>
              <th scope="col">Cycle</th>
              <th scope="col">Dates</th>
              <th scope="col">Status</th>
              <th scope="col">Views</th>
              {admin && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {cycles.data.map((c) => (
              <tr key={c.id} data-cycle={c.name}>
                <th scope="row">
                  <Link to="/okrs" search={{ cycle: c.id, all: true }}>
                    {c.name}
                  </Link>
                </th>
                <td>
                  {c.startDate} – {c.endDate}
                </td>
                <td>
                  <span className={`tag cycle-${c.status}`}>{statusWords[c.status]}</span>
                </td>
                <td className="row-actions">
                  <Link to="/cycles/$cycleId/alignment" params={{ cycleId: c.id }} aria-label={`Alignment of ${c.name}`}>
                    Alignment
                  </Link>
                  <Link to="/cycles/$cycleId/matrix" params={{ cycleId: c.id }} aria-label={`Matrix of ${c.name}`}>
                    Matrix
                  </Link>
                  <Link to="/cycles/$cycleId/review" params={{ cycleId: c.id }} aria-label={`Review of ${c.name}`}>
                    Review
                  </Link>
                </td>
                {admin && (
                  <td>
                    <button type="button" onClick={() => setPending({ cycle: c, action: actionOf[c.status] })}>
                      {actionWords[actionOf[c.status]].button} {c.name}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={pending === 'create'}
        title={`Create ${next.data?.name ?? 'the next cycle'}?`}
        confirmLabel="Create cycle"
        busy={create.isPending}
        onClose={close}
        onConfirm={() =>
          // The cycle the person confirmed, not whatever the server would suggest by now (another admin may have created one).
          create.mutate(
            next.data ? { name: next.data.name, startDate: next.data.startDate, endDate: next.data.endDate } : {},
            {
              onSuccess: (c) => setMessage(`${c.name} is created, in planning.`),
              onError: (e) => setProblem(problemOf(e)),
              onSettled: close,
            },
          )
        }
      >
        <p>
          {next.data?.startDate} – {next.data?.endDate}, in planning: objectives can be written; check-ins count once it is activated.
        </p>
      </ConfirmDialog>
      {shown && (
        <ConfirmDialog
          open={typeof pending === 'object'}
          title={`${actionWords[shown.action].button} ${shown.cycle.name}?`}
          confirmLabel={`${actionWords[shown.action].button} cycle`}
          danger={shown.action === 'close'}
          busy={act.isPending}
          onClose={close}
          onConfirm={() =>
            act.mutate(shown, {
              onSuccess: (c) => setMessage(`${c.name} ${actionWords[shown.action].done}.`),
              onError: (e) => setProblem(problemOf(e)),
              onSettled: close,
            })
          }
        >
          <p>{actionWords[shown.action].explain}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Any other time box (a year, a half, a quarter that is not next): name and dates, checked by the server. */
function OtherCycleForm({ suggestion, onCreated }: { suggestion: CycleSuggestion; onCreated: (cycle: Cycle) => void }) {
  const [value, setValue] = useState({ name: '', startDate: suggestion.startDate, endDate: suggestion.endDate });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [other, setOther] = useState<string[]>([]);
  const create = useCreateCycle();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setOther([]);
    if (!value.name.trim()) return setErrors({ name: 'Enter a name, such as 2027-Q1.' });
    setErrors({});
    create.mutate(
      { name: value.name.trim(), startDate: value.startDate, endDate: value.endDate },
      {
        onSuccess: (c) => {
          setValue({ name: '', startDate: suggestion.startDate, endDate: suggestion.endDate });
          onCreated(c);
        },
        onError: (e) => {
          const mapped = problemToFormErrors(problemOf(e), ['name', 'startDate', 'endDate']);
          setErrors(mapped.fields);
          setOther(mapped.other);
        },
      },
    );
  };
  return (
    <details className="history">
      <summary>Another cycle…</summary>
      <form onSubmit={submit} noValidate aria-label="Another cycle">
        {other.length > 0 && <ProblemAlert messages={other} />}
        <div className="row">
          <Field label="Name" required error={errors.name}>
            {(c) => <input {...c} name="name" maxLength={100} value={value.name} onChange={(e) => setValue((v) => ({ ...v, name: e.target.value }))} />}
          </Field>
          <Field label="First day" required error={errors.startDate}>
            {(c) => <input {...c} name="startDate" type="date" value={value.startDate} onChange={(e) => setValue((v) => ({ ...v, startDate: e.target.value }))} />}
          </Field>
          <Field label="Last day" required error={errors.endDate}>
            {(c) => <input {...c} name="endDate" type="date" value={value.endDate} onChange={(e) => setValue((v) => ({ ...v, endDate: e.target.value }))} />}
          </Field>
        </div>
        <button type="submit" disabled={create.isPending}>
          Create cycle
        </button>
      </form>
    </details>
  );
}
