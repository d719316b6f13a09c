import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { Token } from '@/lib/api/types';

import { useRevokeToken } from '../api/tokens';

/** Asks before revoking a token (open while `token` is set); says what it revoked, or hands the failure to the screen. */
export function RevokeTokenDialog({
  token,
  onClose,
  onRevoked,
  onFailed,
}: {
  token: Token | undefined;
  onClose: () => void;
  onRevoked: (message: string) => void;
  onFailed: (error: unknown) => void;
}) {
  const revoke = useRevokeToken();
  return (
    <ConfirmDialog
      open={token !== undefined}
      title={`Revoke ${token?.name ?? ''}?`}
      confirmLabel="Revoke token"
      danger
      busy={revoke.isPending}
      onClose={onClose}
      onConfirm={() => {
        if (!token) return;
        const name = token.name;
        revoke.mutate(token, {
          onSuccess: () => onRevoked(`Token ${name} is revoked; requests with it now fail.`),
          onError: onFailed,
          onSettled: onClose,
        });
      }}
    >
      <p>Anything using it stops working at its next request. This cannot be undone.</p>
    </ConfirmDialog>
  );
}
