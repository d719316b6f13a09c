import { useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';

import { Loading } from '@/components/ui/page-title';
import { QueryPager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Token } from '@/lib/api/types';
import { type Problem, problemOf } from '@/lib/problem';

import { tokensQueryOptions } from '../api/tokens';
import { RevokeTokenDialog } from './revoke-token-dialog';
import { TokenRow } from './token-row';

/** Tokens with their last use and expiry; revoking asks first. Admins may list everyone's. */
export function TokensTable({ all, owner, onRevoked }: { all: boolean; owner?: (userId: string) => ReactNode; onRevoked: (message: string) => void }) {
  const tokens = useInfiniteQuery(tokensQueryOptions(all));
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
            {items.map((t) => (
              <TokenRow
                key={t.id}
                token={t}
                now={now}
                lead={
                  <>
                    {all && <td>{owner ? owner(t.userId) : t.userId}</td>}
                    <td>
                      <code>okr_{t.publicId}_…</code>
                    </td>
                  </>
                }
                reach={t.kpiKeys?.join(', ') || 'all'}
                onRevoke={setRevoking}
              />
            ))}
          </tbody>
        </table>
      )}
      <QueryPager query={tokens} noun="tokens" />
      <RevokeTokenDialog
        token={revoking}
        onClose={() => setRevoking(undefined)}
        onRevoked={(message) => {
          setProblem(undefined);
          onRevoked(message);
        }}
        onFailed={(e) => setProblem(problemOf(e))}
      />
    </>
  );
}
