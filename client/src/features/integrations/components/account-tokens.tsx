import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { useFocusWhenShown } from '@/components/ui/modal-dialog';
import { Loading } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { scopesFor, type Scope } from '@/features/tokens/api/tokens';
import { RevokeTokenDialog } from '@/features/tokens/components/revoke-token-dialog';
import { TokenRow } from '@/features/tokens/components/token-row';
import type { CreatedToken, Receiver, ServiceAccount, Token } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { formatDateTime } from '@/lib/format';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { accountTokensQueryOptions, useCreateAccountToken, useRotateToken } from '../api/integrations';

/** A service account's tokens: create (secret shown once), rotate (grace period) and revoke, each asking first where it breaks something. */
export function AccountTokens({ account, receivers, onAnnounce }: { account: ServiceAccount; receivers: Receiver[]; onAnnounce: (message: string) => void }) {
  const tokens = useQuery(accountTokensQueryOptions(account.id));
  const rotate = useRotateToken();
  const [secret, setSecret] = useState<{ token: CreatedToken; rotated: boolean }>();
  const [rotating, setRotating] = useState<Token>();
  const [revoking, setRevoking] = useState<Token>();
  const [problem, setProblem] = useState<Problem>();
  const now = Date.now();
  return (
    <section className="account-tokens" aria-labelledby={`tokens-${account.id}`}>
      <h3 id={`tokens-${account.id}`}>Tokens of {account.name}</h3>
      {secret && <ShowTokenOnce token={secret.token} rotated={secret.rotated} onDone={() => setSecret(undefined)} />}
      {problem && <ProblemAlert problem={problem} />}
      {tokens.isPending ? (
        <Loading what="tokens" />
      ) : tokens.isError ? (
        <ProblemAlert problem={problemOf(tokens.error)} />
      ) : tokens.data.length === 0 ? (
        <p>No tokens yet.</p>
      ) : (
        <table className="tokens">
          <caption className="visually-hidden">Tokens of {account.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Receiver</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <TokenRow
                key={t.id}
                token={t}
                now={now}
                reach={t.receiverId ? (receivers.find((r) => r.id === t.receiverId)?.name ?? t.receiverId) : 'any'}
                onRotate={setRotating}
                onRevoke={setRevoking}
              />
            ))}
          </tbody>
        </table>
      )}
      <CreateAccountTokenForm account={account} receivers={receivers} onCreated={(token) => setSecret({ token, rotated: false })} />
      <ConfirmDialog
        open={rotating !== undefined}
        title={`Rotate ${rotating?.name ?? ''}?`}
        confirmLabel="Rotate token"
        busy={rotate.isPending}
        onClose={() => setRotating(undefined)}
        onConfirm={() => {
          if (!rotating) return;
          rotate.mutate(rotating, {
            onSuccess: (token) => {
              setProblem(undefined);
              setSecret({ token, rotated: true });
              onAnnounce(`Token ${token.name} is rotated; copy its new secret.`);
            },
            onError: (e) => setProblem(problemOf(e)),
            onSettled: () => setRotating(undefined),
          });
        }}
      >
        <p>
          It gets a new secret, shown once. The old secret keeps working for a grace period (24 hours unless the server is set otherwise, never beyond
          its expiry), so you can update the integration without a gap.
        </p>
      </ConfirmDialog>
      <RevokeTokenDialog
        token={revoking}
        onClose={() => setRevoking(undefined)}
        onRevoked={(message) => {
          setProblem(undefined);
          onAnnounce(message);
        }}
        onFailed={(e) => setProblem(problemOf(e))}
      />
    </section>
  );
}

interface Draft {
  name: string;
  scopes: Scope[];
  receiverId: string;
  expiresInDays: string;
}

const fields = ['name', 'scopes', 'receiverId', 'expiresInDays'] as const;

function CreateAccountTokenForm({ account, receivers, onCreated }: { account: ServiceAccount; receivers: Receiver[]; onCreated: (token: CreatedToken) => void }) {
  const empty: Draft = { name: '', scopes: ['measurements:write'], receiverId: '', expiresInDays: '90' };
  const draft = useDraft<Draft>(`create-account-token:${account.id}`, empty);
  const create = useCreateAccountToken();
  const [problem, setProblem] = useState<Problem>();
  const d = draft.value;
  const errors = problem?.status === 400 ? problemToFormErrors(problem, fields) : undefined;
  const available = scopesFor(account.role);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const days = Number(d.expiresInDays);
    if (!d.expiresInDays.trim() || !Number.isInteger(days)) {
      setProblem({ status: 400, errors: { expiresInDays: ['expiresInDays is required: a whole number of days.'] } });
      return;
    }
    create.mutate(
      { name: d.name.trim(), scopes: d.scopes, expiresInDays: days, serviceAccountId: account.id, receiverId: d.receiverId || null },
      {
        onSuccess: (token) => {
          draft.clear(empty);
          onCreated(token);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };

  const toggle = (scope: Scope, on: boolean) => draft.setValue((x) => ({ ...x, scopes: on ? [...x.scopes, scope] : x.scopes.filter((s) => s !== scope) }));

  return (
    <form className="token-form" onSubmit={submit} noValidate aria-label={`New token for ${account.name}`}>
      <h4>New token for {account.name}</h4>
      {problem && (problem.status !== 400 || (errors && errors.other.length > 0)) && (
        <ProblemAlert messages={problem.status === 400 ? errors!.other : undefined} problem={problem.status === 400 ? undefined : problem} />
      )}
      <Field label="Token name" required hint="Where it is used, e.g. service hook of project Web." error={errors?.fields.name}>
        {(c) => <input {...c} value={d.name} maxLength={100} onChange={(e) => draft.setValue((x) => ({ ...x, name: e.target.value }))} />}
      </Field>
      <fieldset aria-describedby={errors?.fields.scopes ? `scopes-error-${account.id}` : undefined}>
        <legend>Scopes</legend>
        {available.map(({ scope, words }) => (
          <label key={scope} className="check">
            <input type="checkbox" checked={d.scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} /> <code>{scope}</code>{' '}
            <span className="muted">{words}</span>
          </label>
        ))}
        {errors?.fields.scopes && (
          <p className="field-error" id={`scopes-error-${account.id}`}>
            {errors.fields.scopes}
          </p>
        )}
      </fieldset>
      <Field label="Only for receiver" hint="Optional: the token may then deliver to this receiver's hook and nothing else." error={errors?.fields.receiverId}>
        {(c) => (
          <select {...c} value={d.receiverId} onChange={(e) => draft.setValue((x) => ({ ...x, receiverId: e.target.value }))}>
            <option value="">Any</option>
            {receivers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Expires after (days)" required hint="1 to 365; it is flagged “Expires soon” 14 days ahead." error={errors?.fields.expiresInDays}>
        {(c) => <input {...c} type="number" min={1} max={365} value={d.expiresInDays} onChange={(e) => draft.setValue((x) => ({ ...x, expiresInDays: e.target.value }))} />}
      </Field>
      <button type="submit" className="primary" disabled={create.isPending}>
        Create token
      </button>
    </form>
  );
}

function ShowTokenOnce({ token, rotated, onDone }: { token: CreatedToken; rotated: boolean; onDone: () => void }) {
  const heading = useFocusWhenShown<HTMLHeadingElement>(token.token);
  const id = `secret-${token.id}`;
  return (
    <section className="show-once alert alert-success" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} tabIndex={-1} ref={heading}>
        {rotated ? `New secret of “${token.name}”` : `Token “${token.name}” created`}: copy it now
      </h4>
      <p>It is shown this once; only its hash is stored. It expires {formatDateTime(token.expiresAt)}.</p>
      {rotated && token.previousSecretExpiresAt && <p>The previous secret keeps working until {formatDateTime(token.previousSecretExpiresAt)}.</p>}
      <label htmlFor={id}>Token</label>
      <div className="copy-row">
        <input id={id} readOnly value={token.token} className="mono" onFocus={(e) => e.target.select()} spellCheck={false} />
        <CopyButton text={token.token} label="Copy token" targetId={id} />
      </div>
      <p className="help">Use it as the password of Basic authentication (any user name) or as <code>Authorization: Bearer …</code>.</p>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
