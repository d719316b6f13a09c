import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';

import { usePageTitle } from '@/components/ui/page-title';
import { kpiKeysQueryOptions } from '@/features/kpis/api/kpis';
import { sessionQueryOptions } from '@/features/session/api/session';
import { CreateTokenForm } from '@/features/tokens/components/create-token-form';
import { TokensTable } from '@/features/tokens/components/tokens-table';
import { UserName } from '@/features/users/components/user-name';
import { isAdmin } from '@/lib/permissions';

import { tokensRoute } from '../router';

/** API tokens: create (shown once), list with last use, revoke. */
export function TokensPage() {
  usePageTitle('API tokens');
  const session = useQuery(sessionQueryOptions);
  const keys = useQuery(kpiKeysQueryOptions);
  const { all = false } = tokensRoute.useSearch();
  const navigate = useNavigate();
  const [message, setMessage] = useState('');
  const user = session.data?.user;
  if (!user) return null;
  return (
    <>
      <h1>API tokens</h1>
      <p role="status" className="announce">
        {message}
      </p>
      <CreateTokenForm role={user.role} kpiKeys={(keys.data ?? []).map((k) => k.key)} />
      <h2>{all ? "Everyone's tokens" : 'Your tokens'}</h2>
      {isAdmin(user) && (
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => void navigate({ to: '/tokens', search: { all: e.target.checked || undefined }, replace: true })} />
          Show everyone's tokens
        </label>
      )}
      <TokensTable all={all && isAdmin(user)} owner={(id) => <UserName id={id} />} onRevoked={setMessage} />
    </>
  );
}
