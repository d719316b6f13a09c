import type { ReactNode } from 'react';

import type { Token } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';

/** A token's state as symbol + word + colour; "Expires soon" warns 14 days ahead. */
function TokenState({ token, now }: { token: Token; now: number }) {
  const [tone, symbol, word] = token.revokedAt
    ? ['offTarget', '✕', `Revoked ${formatDateTime(token.revokedAt)}`]
    : Date.parse(token.expiresAt) <= now
      ? ['offTarget', '✕', 'Expired']
      : token.expiresSoon
        ? ['atRisk', '⏱', 'Expires soon']
        : ['onTarget', '✓', 'Active'];
  return (
    <span className={`badge badge-${tone}`}>
      <span aria-hidden="true">{symbol}</span> {word}
    </span>
  );
}

/**
 * One token as a table row, the same on the tokens page and under a service account: name, the cells the screen adds
 * (`lead`), scopes, what it is limited to (`reach`: KPIs or a receiver), last use, expiry, state, and while it is
 * usable its actions (Rotate only where the screen offers it).
 */
export function TokenRow({
  token: t,
  now,
  lead,
  reach,
  onRotate,
  onRevoke,
}: {
  token: Token;
  now: number;
  lead?: ReactNode;
  reach: ReactNode;
  onRotate?: (token: Token) => void;
  onRevoke: (token: Token) => void;
}) {
  const usable = !t.revokedAt && Date.parse(t.expiresAt) > now;
  return (
    <tr data-token={t.publicId}>
      <th scope="row">{t.name}</th>
      {lead}
      <td>{t.scopes.join(', ')}</td>
      <td>{reach}</td>
      <td>{t.lastUsedAt ? `${formatDateTime(t.lastUsedAt)}${t.lastUsedFrom ? ` from ${t.lastUsedFrom}` : ''}` : 'Never'}</td>
      <td>
        {formatDateTime(t.expiresAt)}
        {t.previousSecretExpiresAt && Date.parse(t.previousSecretExpiresAt) > now && (
          <span className="muted"> (previous secret until {formatDateTime(t.previousSecretExpiresAt)})</span>
        )}
      </td>
      <td>
        <TokenState token={t} now={now} />
      </td>
      <td className="actions">
        {usable && (
          <>
            {onRotate && (
              <>
                <button type="button" onClick={() => onRotate(t)} aria-label={`Rotate ${t.name}`}>
                  Rotate
                </button>{' '}
              </>
            )}
            <button type="button" className="danger" onClick={() => onRevoke(t)} aria-label={`Revoke ${t.name}`}>
              Revoke
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
