import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Loading } from '@/components/ui/page-title';
import { QueryPager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Token } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { type Problem, problemOf } from '@/lib/problem';

import { tokensQueryOptions, useRevokeToken } from '../api/tokens';

function stateOf(token: Token, now: number): string {
  if (token.revokedAt) return `Revoked ${formatDateTime(token.revokedAt)}`;
  if (Date.parse(token.expiresAt) <= now) return 'Expired';
  return 'Active';
}

/** Tokens with their last use and expiry; revoking asks first. Admins may list everyone's. */
export function TokensTable({ all, owner, onRevoked }: { all: boolean; owner?: (userId: string) => ReactNode; onRevoked: (message: string) => void }) {
  const tokens = useInfiniteQuery(tokensQueryOptions(all));
  const revoke = useRevokeToken();
  const [revoking, setRevoking] = useState<Token>();
  const [problem, setProblem] = useState<Problem>();
  if (tokens.isPending) return <Loading what="tokens" />;
  if (tokens.isError) return <ProblemAlert problem={problemOf(tokens.error)} />;
  const items = tokens.data.pages.flatMap((p) => p.items);
  const now = Date.now();
  return (
    <>
      {problem && <ProblemAlert problem={problem} />}
      {items.length === 0 ? (
        <p>No tokens yet.</p>
      ) : (
        <table className="tokens">
          <caption className="visually-hidden">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              {all && <th scope="col">Owner</th>}
              <th scope="col">Id</th>
              <th scope="col">Scopes</th>
              <th scope="col">KPIs</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => {
              const state = stateOf(t, now);
              return (
                <tr key={t.id} data-token={t.publicId}>
                  <th scope="row">{t.name}</th>
                  {all && <td>{owner ? owner(t.userId) : t.userId}</td>}
                  <td>
                    <code>okr_{t.publicId}_…</code>
                  </td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{t.kpiKeys?.join(', ') || 'all'}</td>
                  <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
                  <td>{formatDateTime(t.expiresAt)}</td>
                  <td>{state}</td>
                  <td>
                    {state === 'Active' && (
                      <button type="button" className="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <QueryPager query={tokens} noun="tokens" />
      <ConfirmDialog
        open={revoking !== undefined}
        title={`Revoke ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke token"
        danger
        busy={revoke.isPending}
        onClose={() => setRevoking(undefined)}
        onConfirm={() => {
          if (!revoking) return;
          const name = revoking.name;
          revoke.mutate(revoking, {
            onSuccess: () => {
              setProblem(undefined);
              onRevoked(`Token ${name} is revoked; requests with it now fail.`);
            },
            onError: (e) => setProblem(problemOf(e)),
            onSettled: () => setRevoking(undefined),
          });
        }}
      >
        <p>Anything using it stops working at its next request. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
