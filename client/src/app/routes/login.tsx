import { useNavigate } from '@tanstack/react-router';

import { usePageTitle } from '@/components/ui/page-title';
import { SignInForm } from '@/features/session/components/sign-in-form';

import { loginRoute } from '../router';

/** S1: sign in, then go back to where the person was (or the dashboard). */
export function LoginPage() {
  usePageTitle('Sign in');
  const { redirect } = loginRoute.useSearch();
  const navigate = useNavigate();
  return (
    <main id="main" className="sign-in-page">
      <h1>Sign in to OkrKpi</h1>
      <SignInForm
        notice={redirect ? 'Sign in to continue where you were. Anything you had typed is kept.' : undefined}
        onSignedIn={() => {
          if (redirect) void navigate({ href: redirect, replace: true });
          else void navigate({ to: '/kpis', replace: true });
        }}
      />
    </main>
  );
}
