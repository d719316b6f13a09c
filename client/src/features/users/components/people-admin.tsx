import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { Loading } from '@/components/ui/page-title';
import { QueryPager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Role, User } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateUser, usersQueryOptions, useSetUserPassword, useUpdateUser } from '../api/users';

export interface TeamChoice {
  id: string;
  label: string;
}

const roles: { role: Role; words: string }[] = [
  { role: 'viewer', words: 'Viewer: reads everything' },
  { role: 'editor', words: "Editor: writes what their teams own" },
  { role: 'admin', words: 'Admin: everything, people and teams' },
];

/** The people directory for admins: create, change role and teams, disable, set a new password. */
export function PeopleAdmin({ teams, me, onChanged }: { teams: TeamChoice[]; me: string; onChanged: (message: string) => void }) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const users = useInfiniteQuery(usersQueryOptions(search));
  const [editing, setEditing] = useState<string>();
  const teamName = new Map(teams.map((t) => [t.id, t.label]));

  return (
    <>
      <NewPersonForm teams={teams} onCreated={(u) => onChanged(`${u.displayName} can now sign in as ${u.email}.`)} />
      <h2>People</h2>
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(text.trim());
        }}
      >
        <Field label="Find by name or email">
          {(c) => <input {...c} type="search" value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <div className="filter-actions">
          <button type="submit">Find</button>
        </div>
      </form>
      {users.isPending ? (
        <Loading what="people" />
      ) : users.isError ? (
        <ProblemAlert problem={problemOf(users.error)} />
      ) : (
        <>
          <table className="people">
            <caption className="visually-hidden">People</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Teams</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.pages
                .flatMap((p) => p.items)
                .map((u) =>
                  editing === u.id ? (
                    <tr key={u.id}>
                      <td colSpan={6}>
                        <EditPerson
                          user={u}
                          teams={teams}
                          isMe={u.id === me}
                          onDone={(message) => {
                            setEditing(undefined);
                            if (message) onChanged(message);
                          }}
                        />
                      </td>
                    </tr>
                  ) : (
                    <tr key={u.id} data-email={u.email}>
                      <th scope="row">{u.displayName}</th>
                      <td>{u.email}</td>
                      <td>{u.role}</td>
                      <td>{u.teamIds.map((id) => teamName.get(id) ?? id).join(', ') || '–'}</td>
                      <td>{u.disabled ? 'Disabled' : 'Active'}</td>
                      <td>
                        <button type="button" onClick={() => setEditing(u.id)} aria-label={`Edit ${u.displayName}`}>
                          Edit
                        </button>
                      </td>
                    </tr>
                  ),
                )}
            </tbody>
          </table>
          <QueryPager query={users} noun="people" />
        </>
      )}
    </>
  );
}

function RoleSelect({ control, value, onChange }: { control: object; value: Role; onChange: (role: Role) => void }) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {roles.map((r) => (
        <option key={r.role} value={r.role}>
          {r.words}
        </option>
      ))}
    </select>
  );
}

function TeamChecks({ teams, value, onChange }: { teams: TeamChoice[]; value: string[]; onChange: (ids: string[]) => void }) {
  return (
    <fieldset className="checks">
      <legend>Teams</legend>
      {teams.map((t) => (
        <label key={t.id} className="check">
          <input
            type="checkbox"
            checked={value.includes(t.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, t.id] : value.filter((id) => id !== t.id))}
          />
          {t.label}
        </label>
      ))}
    </fieldset>
  );
}

interface NewPerson {
  email: string;
  displayName: string;
  role: Role;
  password: string;
  teamIds: string[];
}

const blank: NewPerson = { email: '', displayName: '', role: 'viewer', password: '', teamIds: [] };
const personFields = ['email', 'displayName', 'role', 'password', 'teamIds'] as const;

function NewPersonForm({ teams, onCreated }: { teams: TeamChoice[]; onCreated: (user: User) => void }) {
  const draft = useDraft<NewPerson>('new-person', blank);
  const create = useCreateUser();
  const [problem, setProblem] = useState<Problem>();
  const d = draft.value;
  const errors = problem?.status === 400 ? problemToFormErrors(problem, personFields) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    create.mutate(
      { email: d.email.trim(), displayName: d.displayName.trim(), role: d.role, password: d.password || null, teamIds: d.teamIds },
      {
        onSuccess: (user) => {
          draft.clear(blank);
          onCreated(user);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };
  return (
    <form onSubmit={submit} className="person-form" noValidate aria-labelledby="new-person-title">
      <h2 id="new-person-title">New person</h2>
      {problem && (problem.status !== 400 ? <ProblemAlert problem={problem} /> : errors!.other.length > 0 && <ProblemAlert messages={errors!.other} />)}
      <div className="row">
        <Field label="Email" required error={errors?.fields.email}>
          {(c) => <input {...c} type="email" autoComplete="off" value={d.email} onChange={(e) => draft.setValue((x) => ({ ...x, email: e.target.value }))} />}
        </Field>
        <Field label="Display name" required error={errors?.fields.displayName}>
          {(c) => <input {...c} value={d.displayName} onChange={(e) => draft.setValue((x) => ({ ...x, displayName: e.target.value }))} />}
        </Field>
        <Field label="Role" error={errors?.fields.role}>
          {(c) => <RoleSelect control={c} value={d.role} onChange={(role) => draft.setValue((x) => ({ ...x, role }))} />}
        </Field>
        <Field label="Initial password" hint="12 to 128 characters. Leave empty for people who sign in through the identity provider." error={errors?.fields.password}>
          {(c) => <input {...c} type="password" autoComplete="new-password" value={d.password} onChange={(e) => draft.setValue((x) => ({ ...x, password: e.target.value }))} />}
        </Field>
      </div>
      <TeamChecks teams={teams} value={d.teamIds} onChange={(teamIds) => draft.setValue((x) => ({ ...x, teamIds }))} />
      {errors?.fields.teamIds && <p className="field-error">{errors.fields.teamIds}</p>}
      <button type="submit" className="primary" disabled={create.isPending}>
        Add person
      </button>
    </form>
  );
}

function EditPerson({ user, teams, isMe, onDone }: { user: User; teams: TeamChoice[]; isMe: boolean; onDone: (message?: string) => void }) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState(user.role);
  const [disabled, setDisabled] = useState(user.disabled);
  const [teamIds, setTeamIds] = useState(user.teamIds);
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [passwordProblem, setPasswordProblem] = useState<Problem>();
  const [passwordSet, setPasswordSet] = useState(false);
  const update = useUpdateUser();
  const setUserPassword = useSetUserPassword();
  const errors = problem?.status === 400 ? problemToFormErrors(problem, ['displayName', 'role', 'disabled', 'teamIds']) : undefined;
  const passwordErrors = passwordProblem?.status === 400 ? problemToFormErrors(passwordProblem, ['password']) : undefined;

  const save = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    update.mutate(
      { user, body: { displayName: displayName.trim(), role, disabled, teamIds } },
      { onSuccess: (u) => onDone(`${u.displayName} saved.`), onError: (e) => setProblem(problemOf(e)) },
    );
  };
  const reset = (event: FormEvent) => {
    event.preventDefault();
    setPasswordProblem(undefined);
    setPasswordSet(false);
    setUserPassword.mutate(
      { user, password },
      {
        onSuccess: () => {
          setPassword('');
          setPasswordSet(true);
        },
        onError: (e) => setPasswordProblem(problemOf(e)),
      },
    );
  };
  return (
    <div className="edit-person">
      <form onSubmit={save} noValidate aria-label={`Edit ${user.displayName}`}>
        <h3>
          {user.displayName} <span className="muted">{user.email}</span>
        </h3>
        {problem && (problem.status !== 400 ? <ProblemAlert problem={problem} /> : errors!.other.length > 0 && <ProblemAlert messages={errors!.other} />)}
        <div className="row">
          <Field label="Display name" required error={errors?.fields.displayName}>
            {(c) => <input {...c} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoFocus />}
          </Field>
          <Field label="Role" error={errors?.fields.role} hint={isMe ? 'Changing your own role takes effect at once.' : undefined}>
            {(c) => <RoleSelect control={c} value={role} onChange={setRole} />}
          </Field>
        </div>
        <TeamChecks teams={teams} value={teamIds} onChange={setTeamIds} />
        <label className="check">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />
          Disabled: cannot sign in; their sessions end and their tokens stop working
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={update.isPending}>
            Save
          </button>
          <button type="button" onClick={() => onDone()}>
            Cancel
          </button>
        </div>
      </form>
      <form onSubmit={reset} noValidate aria-label={`Set a new password for ${user.displayName}`} className="reset-password">
        {passwordProblem && passwordProblem.status !== 400 && <ProblemAlert problem={passwordProblem} />}
        <Field label="New password" hint="12 to 128 characters. Their sessions end; tell them the new one." error={passwordErrors?.fields.password ?? passwordErrors?.other.join(' ')}>
          {(c) => <input {...c} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <button type="submit" disabled={setUserPassword.isPending || password === ''}>
          Set password
        </button>
        <span role="status">{passwordSet ? `The password of ${user.displayName} is changed.` : ''}</span>
      </form>
    </div>
  );
}
