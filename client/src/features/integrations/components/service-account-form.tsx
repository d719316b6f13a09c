import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Role } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateServiceAccount } from '../api/integrations';

interface Draft {
  name: string;
  role: Role;
  teamIds: string[];
}

const empty: Draft = { name: '', role: 'editor', teamIds: [] };
const fields = ['name', 'role', 'teamIds'] as const;

/** A new service account: the owner of an integration's tokens, with a role and teams like a person's. */
export function CreateServiceAccountForm({ teams, onCreated }: { teams: { id: string; name: string }[]; onCreated: (message: string) => void }) {
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

  const toggle = (id: string, on: boolean) => draft.setValue((x) => ({ ...x, teamIds: on ? [...x.teamIds, id] : x.teamIds.filter((t) => t !== id) }));

  return (
    <form className="service-account-form" onSubmit={submit} noValidate aria-labelledby="new-service-account-title">
      <h2 id="new-service-account-title">New service account</h2>
      <p className="help">It owns an integration's tokens, never signs in, and stays when the person who set it up leaves.</p>
      {problem && (problem.status !== 400 || (errors && errors.other.length > 0)) && (
        <ProblemAlert messages={problem.status === 400 ? errors!.other : undefined} problem={problem.status === 400 ? undefined : problem} />
      )}
      <Field label="Account name" required hint="The integration, e.g. Azure DevOps." error={errors?.fields.name}>
        {(c) => <input {...c} value={d.name} maxLength={100} onChange={(e) => draft.setValue((x) => ({ ...x, name: e.target.value }))} />}
      </Field>
      <Field label="Role" required hint="Editors write the KPIs their teams own; admins anything." error={errors?.fields.role}>
        {(c) => (
          <select {...c} value={d.role} onChange={(e) => draft.setValue((x) => ({ ...x, role: e.target.value as Role }))}>
            <option value="viewer">Viewer</option>
            <option value="editor">Editor</option>
            <option value="admin">Admin</option>
          </select>
        )}
      </Field>
      <fieldset aria-describedby={errors?.fields.teamIds ? 'service-account-teams-error' : undefined}>
        <legend>Teams</legend>
        {teams.map((t) => (
          <label key={t.id} className="check">
            <input type="checkbox" checked={d.teamIds.includes(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} /> {t.name}
          </label>
        ))}
        {errors?.fields.teamIds && (
          <p className="field-error" id="service-account-teams-error">
            {errors.fields.teamIds}
          </p>
        )}
      </fieldset>
      <button type="submit" className="primary" disabled={create.isPending}>
        Create service account
      </button>
    </form>
  );
}
