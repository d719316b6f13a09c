import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Session } from '@/lib/api/types';
import { describeProblem, problemOf, waitText } from '@/lib/problem';

import { useSignIn } from '../api/session';

/** Email and password; the browser's password manager and paste work (plain inputs with autocomplete). */
export function SignInForm({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice?: string }) {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<string>();
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMessage(undefined);
    signIn.mutate(
      { email: email.trim(), password },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          const problem = problemOf(error);
          if (problem.status === 401) setMessage('Wrong email or password.');
          else if (problem.status === 429) setMessage(`Too many sign-in attempts. ${waitText(problem.retryAfterSeconds)}`);
          else if (problem.status === 400) setMessage('Enter your email and your password.');
          else setMessage(describeProblem(problem));
        },
      },
    );
  };

  return (
    <form className="sign-in" onSubmit={submit} noValidate aria-describedby={notice ? 'sign-in-notice' : undefined}>
      {notice && (
        <p className="alert alert-info" id="sign-in-notice">
          {notice}
        </p>
      )}
      {message && <ProblemAlert messages={[message]} />}
      <Field label="Email" required>
        {(control) => (
          <input
            {...control}
            ref={emailRef}
            type="email"
            name="email"
            autoComplete="username"
            inputMode="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <Field label="Password" required>
        {(control) => (
          <input
            {...control}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="primary" disabled={signIn.isPending} aria-busy={signIn.isPending}>
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
