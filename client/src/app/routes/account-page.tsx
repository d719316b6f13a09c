import { useQuery } from '@tanstack/react-query';

import { usePageTitle } from '@/components/ui/page-title';
import { sessionQueryOptions } from '@/features/session/api/session';
import { ChangePasswordForm } from '@/features/users/components/change-password-form';

/** Who I am, and my password. */
export function AccountPage() {
  usePageTitle('Account');
  const session = useQuery(sessionQueryOptions);
  const user = session.data?.user;
  if (!user) return null;
  return (
    <>
      <h1>Account</h1>
      <dl className="definition">
        <div>
          <dt>Name</dt>
          <dd>{user.displayName}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </div>
      </dl>
      {user.hasPassword ? <ChangePasswordForm email={user.email} /> : <p>You sign in through your organisation's identity provider; your password is managed there.</p>}
    </>
  );
}
