import { type FormEvent, useState } from 'react';

import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { useFocusWhenShown } from '@/components/ui/modal-dialog';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SuggestInput } from '@/components/ui/suggest-input';
import type { CreatedToken, Role } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { formatDateTime } from '@/lib/format';
import { periodLabel } from '@/lib/periods';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { scopesFor, useCreateToken, type Scope } from '../api/tokens';

interface Draft {
  name: string;
  scopes: Scope[];
  kpiKeys: string;
  expiresInDays: string;
}

const fields = ['name', 'scopes', 'kpiKeys', 'expiresInDays'] as const;

/** A new API token: name, scopes the person's role allows, optional KPI restriction, expiry; shown once. */
export function CreateTokenForm({ role, kpiKeys }: { role: Role; kpiKeys: string[] }) {
  const available = scopesFor(role);
  const draft = useDraft<Draft>('create-token', { name: '', scopes: ['kpis:read'], kpiKeys: '', expiresInDays: '90' });
  const create = useCreateToken();
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<CreatedToken>();
  const d = draft.value;
  const errors = problem?.status === 400 ? problemToFormErrors(problem, fields) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const days = Number(d.expiresInDays);
    // The API requires a whole number of days; anything else is refused here, in the words the API would use.
    if (!d.expiresInDays.trim() || !Number.isInteger(days)) {
      setProblem({ status: 400, errors: { expiresInDays: ['expiresInDays is required: a whole number of days.'] } });
      return;
    }
    create.mutate(
      {
        name: d.name.trim(),
        scopes: d.scopes,
        kpiKeys: d.kpiKeys.trim() ? d.kpiKeys.split(',').map((k) => k.trim()).filter(Boolean) : null,
        expiresInDays: days,
      },
      {
        onSuccess: (token) => {
          setCreated(token);
          draft.clear({ name: '', scopes: ['kpis:read'], kpiKeys: '', expiresInDays: '90' });
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };

  const toggle = (scope: Scope, on: boolean) =>
    draft.setValue((x) => ({ ...x, scopes: on ? [...x.scopes, scope] : x.scopes.filter((s) => s !== scope) }));

  return (
    <>
      {created && <ShowOnce token={created} onDone={() => setCreated(undefined)} />}
      <form className="token-form" onSubmit={submit} noValidate aria-labelledby="new-token-title">
        <h2 id="new-token-title">New API token</h2>
        <p className="help">For scripts and integrations (Jira, Azure DevOps, CI). It acts as you, within the scopes you tick, and never more than your role allows.</p>
        {problem && (problem.status !== 400 || (errors && errors.other.length > 0)) && (
          <ProblemAlert messages={problem.status === 400 ? errors!.other : undefined} problem={problem.status === 400 ? undefined : problem} />
        )}
        <Field label="Name" required hint="What it is for, e.g. line 3 pusher." error={errors?.fields.name}>
          {(c) => <input {...c} value={d.name} maxLength={100} onChange={(e) => draft.setValue((x) => ({ ...x, name: e.target.value }))} />}
        </Field>
        <fieldset aria-describedby={errors?.fields.scopes ? 'scopes-error' : undefined}>
          <legend>Scopes</legend>
          {available.map(({ scope, words }) => (
            <label key={scope} className="check">
              <input type="checkbox" checked={d.scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
              <code>{scope}</code> <span className="muted">{words}</span>
            </label>
          ))}
          {errors?.fields.scopes && (
            <p className="field-error" id="scopes-error">
              {errors.fields.scopes}
            </p>
          )}
        </fieldset>
        <Field label="Only these KPIs" hint="Optional: comma-separated KPI keys it may write. Reads are not restricted." error={errors?.fields.kpiKeys}>
          {(c) => <SuggestInput {...c} listId="token-kpis" suggestions={kpiKeys} value={d.kpiKeys} onValue={(kpiKeys) => draft.setValue((x) => ({ ...x, kpiKeys }))} />}
        </Field>
        <Field label="Expires after (days)" required hint="1 to 365." error={errors?.fields.expiresInDays}>
          {(c) => (
            <input {...c} type="number" min={1} max={365} value={d.expiresInDays} onChange={(e) => draft.setValue((x) => ({ ...x, expiresInDays: e.target.value }))} />
          )}
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
    </>
  );
}

function ShowOnce({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const heading = useFocusWhenShown<HTMLHeadingElement>(token.token);
  const origin = window.location.origin;
  const key = token.kpiKeys?.[0];
  const curl =
    token.scopes.includes('measurements:write') && key
      ? `curl -X POST ${origin}/api/v1/kpis/${key}/measurements -H "Authorization: Bearer ${token.token}" -H 'Content-Type: application/json' -d '{ "period": "${periodLabel('daily', new Date())}", "value": 1 }'`
      : `curl ${origin}/api/v1/dashboard/kpis -H "Authorization: Bearer ${token.token}"`;
  return (
    <section className="show-once alert alert-success" aria-labelledby="show-once-title">
      <h2 id="show-once-title" tabIndex={-1} ref={heading}>
        Token “{token.name}” created: copy it now
      </h2>
      <p>It is shown this once; only its hash is stored. It expires {formatDateTime(token.expiresAt)}.</p>
      <label htmlFor="new-token-value">Token</label>
      <div className="copy-row">
        <input id="new-token-value" readOnly value={token.token} className="mono" onFocus={(e) => e.target.select()} spellCheck={false} />
        <CopyButton text={token.token} label="Copy token" targetId="new-token-value" />
      </div>
      <label htmlFor="new-token-curl">Try it with curl</label>
      <div className="copy-row">
        <textarea id="new-token-curl" readOnly value={curl} className="mono" rows={3} onFocus={(e) => e.target.select()} spellCheck={false} />
        <CopyButton text={curl} label="Copy curl line" targetId="new-token-curl" />
      </div>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
