import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Role, ServiceAccount } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type FormErrors, type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateServiceAccount } from '../api/integrations';
import { useUpdateServiceAccount } from '../api/update-service-account';

interface Draft {
  name: string;
  role: Role;
  teamIds: string[];
}

type Team = { id: string; name: string };

const empty: Draft = { name: '', role: 'editor', teamIds: [] };
const fields = ['name', 'role', 'teamIds', 'disabled'] as const;

/** What creating and editing a service account share: its name, role and teams, with the API's field errors. */
function AccountFields<T extends Draft>({
  teams,
  value,
  onChange,
  errors,
}: {
  teams: Team[];
  value: T;
  onChange: (change: (draft: T) => T) => void;
  errors: FormErrors | undefined;
}) {
  const teamsErrorId = useId();
  const toggle = (id: string, on: boolean) => onChange((x) => ({ ...x, teamIds: on ? [...x.teamIds, id] : x.teamIds.filter((t) => t !== id) }));
  return (
    <>
      {errors && errors.other.length > 0 && <ProblemAlert messages={errors.other} />}
      <Field label="Account name" required hint="The integration, e.g. Azure DevOps." error={errors?.fields.name}>
        {(c) => <input {...c} value={value.name} maxLength={100} onChange={(e) => onChange((x) => ({ ...x, name: e.target.value }))} />}
      </Field>
      <Field label="Role" required hint="Editors write the KPIs their teams own; admins anything." error={errors?.fields.role}>
        {(c) => (
          <select {...c} value={value.role} onChange={(e) => onChange((x) => ({ ...x, role: e.target.value as Role }))}>
            <option value="viewer">Viewer</option>
            <option value="editor">Editor</option>
            <option value="admin">Admin</option>
          </select>
        )}
      </Field>
      <fieldset aria-describedby={errors?.fields.teamIds ? teamsErrorId : undefined}>
        <legend>Teams</legend>
        {teams.map((t) => (
          <label key={t.id} className="check">
            <input type="checkbox" checked={value.teamIds.includes(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} /> {t.name}
          </label>
        ))}
        {errors?.fields.teamIds && (
          <p className="field-error" id={teamsErrorId}>
            {errors.fields.teamIds}
          </p>
        )}
      </fieldset>
    </>
  );
}

/** A new service account: the owner of an integration's tokens, with a role and teams like a person's. */
export function CreateServiceAccountForm({ teams, onCreated }: { teams: Team[]; onCreated: (message: string) => void }) {
  const draft = useDraft<Draft>('create-service-account', empty);
  const create = useCreateServiceAccount();
  const [problem, setProblem] = useState<Problem>();
  const d = draft.value;
  const errors = problem?.status === 400 ? problemToFormErrors(problem, fields) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    create.mutate(
      { name: d.name.trim(), role: d.role, teamIds: d.teamIds },
      {
        onSuccess: (account) => {
          draft.clear(empty);
          onCreated(`Service account ${account.name} is created; give it a token below.`);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };

  return (
    <form className="service-account-form" onSubmit={submit} noValidate aria-labelledby="new-service-account-title">
      <h2 id="new-service-account-title">New service account</h2>
      <p className="help">It owns an integration's tokens, never signs in, and stays when the person who set it up leaves.</p>
      {problem && problem.status !== 400 && <ProblemAlert problem={problem} />}
      <AccountFields teams={teams} value={d} onChange={draft.setValue} errors={errors} />
      <button type="submit" className="primary" disabled={create.isPending}>
        Create service account
      </button>
    </form>
  );
}

interface EditDraft extends Draft {
  disabled: boolean;
}

/**
 * Renames a service account, changes its role or teams, or disables it. The input is a draft (it survives signing in
 * again), and after a 412 it stays while the list reads the account again, so Save then writes over the new version.
 */
export function EditServiceAccountForm({ account, teams, onDone }: { account: ServiceAccount; teams: Team[]; onDone: (message?: string) => void }) {
  const start: EditDraft = { name: account.name, role: account.role, teamIds: account.teamIds, disabled: account.disabled };
  const draft = useDraft<EditDraft>(`edit-service-account:${account.id}`, start);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector('input')?.focus(), []);
  const update = useUpdateServiceAccount();
  const [problem, setProblem] = useState<Problem>();
  const d = draft.value;
  const errors = problem?.status === 400 ? problemToFormErrors(problem, fields) : undefined;

  const save = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    update.mutate(
      { account, body: { name: d.name.trim(), role: d.role, teamIds: d.teamIds, disabled: d.disabled } },
      {
        onSuccess: (saved) => {
          draft.clear(start);
          onDone(`Service account ${saved.name} is saved.`);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };

  return (
    <form ref={form} className="service-account-form" onSubmit={save} noValidate aria-label={`Edit ${account.name}`}>
      {problem && problem.status !== 400 && <ProblemAlert problem={problem} />}
      <AccountFields teams={teams} value={d} onChange={draft.setValue} errors={errors} />
      <label className="check">
        <input type="checkbox" checked={d.disabled} onChange={(e) => draft.setValue((x) => ({ ...x, disabled: e.target.checked }))} /> Disabled: all its
        tokens stop working until it is enabled again
      </label>
      {errors?.fields.disabled && <p className="field-error">{errors.fields.disabled}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={update.isPending}>
          Save
        </button>
        <button
          type="button"
          onClick={() => {
            draft.clear(start);
            onDone();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
