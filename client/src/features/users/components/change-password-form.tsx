import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useChangeOwnPassword } from '../api/users';

/** Change my password: the current one, then the new one twice. Other sessions of mine end. */
export function ChangePasswordForm({ email }: { email: string }) {
  const change = useChangeOwnPassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const errors = problem?.status === 400 ? problemToFormErrors(problem, ['currentPassword', 'newPassword']) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setDone(false);
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          setDone(true);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-title" className="password-form">
      <h2 id="password-title">Change my password</h2>
      <p role="status">{done ? 'Your password is changed. Your other sessions have ended.' : ''}</p>
      {problem && (problem.status !== 400 ? <ProblemAlert problem={problem} /> : errors!.other.length > 0 && <ProblemAlert messages={errors!.other} />)}
      <input type="text" name="username" autoComplete="username" value={email} hidden readOnly />
      <Field label="Current password" required error={errors?.fields.currentPassword}>
        {(c) => <input {...c} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />}
      </Field>
      <Field label="New password" required hint="12 to 128 characters; a passphrase is easiest to remember." error={errors?.fields.newPassword}>
        {(c) => <input {...c} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />}
      </Field>
      <Field label="New password again" required error={mismatch ? 'The two new passwords differ.' : undefined}>
        {(c) => <input {...c} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />}
      </Field>
      <button type="submit" className="primary" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}
