import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { Loading } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Team } from '@/lib/api/types';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';
import { descendantsOf, flattenTeams, teamPath } from '@/lib/team-tree';

import { teamsQueryOptions, useCreateTeam, useDeleteTeam, useMoveTeam, useRenameTeam } from '../api/teams';

/** The org chart as an indented list; admins add, rename, move and delete teams. */
export function TeamsAdmin() {
  const teams = useQuery(teamsQueryOptions);
  const [announcement, setAnnouncement] = useState('');
  if (teams.isPending) return <Loading what="teams" />;
  if (teams.isError) return <ProblemAlert problem={problemOf(teams.error)} />;
  const rows = flattenTeams(teams.data);
  return (
    <>
      <p role="status" className="visually-hidden-when-empty">
        {announcement}
      </p>
      <NewTeamForm teams={teams.data} onCreated={(t) => setAnnouncement(`Team ${t.name} created.`)} />
      <h2>Teams</h2>
      <ul className="team-tree" aria-label="Teams">
        {rows.map(({ team, depth }) => (
          <TeamRow key={team.id} team={team} depth={depth} teams={teams.data} onDone={setAnnouncement} />
        ))}
      </ul>
    </>
  );
}

function ParentSelect({
  teams,
  exclude,
  value,
  onChange,
  control,
}: {
  teams: Team[];
  exclude?: Set<string>;
  value: string;
  onChange: (value: string) => void;
  control: object;
}) {
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">(top level)</option>
      {flattenTeams(teams)
        .filter(({ team }) => !exclude?.has(team.id))
        .map(({ team }) => (
          <option key={team.id} value={team.id}>
            {teamPath(teams, team.id)}
          </option>
        ))}
    </select>
  );
}

function NewTeamForm({ teams, onCreated }: { teams: Team[]; onCreated: (team: Team) => void }) {
  const create = useCreateTeam();
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const errors = problem ? problemToFormErrors(problem, ['name', 'parentTeamId']) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    create.mutate(
      { name: name.trim(), parentTeamId: parent || null },
      {
        onSuccess: (team) => {
          setName('');
          onCreated(team);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-labelledby="new-team-heading" noValidate>
      <h2 id="new-team-heading">New team</h2>
      {errors && errors.other.length > 0 && <ProblemAlert messages={errors.other} />}
      <Field label="Name" required error={errors?.fields.name}>
        {(c) => <input {...c} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Parent team" error={errors?.fields.parentTeamId}>
        {(c) => <ParentSelect control={c} teams={teams} value={parent} onChange={setParent} />}
      </Field>
      <button type="submit" className="primary" disabled={create.isPending}>
        Add team
      </button>
    </form>
  );
}

function TeamRow({ team, depth, teams, onDone }: { team: Team; depth: number; teams: Team[]; onDone: (text: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(team.name);
  const [parent, setParent] = useState(team.parentTeamId ?? '');
  const [problem, setProblem] = useState<Problem>();
  const [confirming, setConfirming] = useState(false);
  const rename = useRenameTeam();
  const move = useMoveTeam();
  const remove = useDeleteTeam();
  const errors = problem ? problemToFormErrors(problem, ['name', 'parentTeamId']) : undefined;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      let current = team;
      if (name.trim() !== team.name) current = await rename.mutateAsync({ team: current, name: name.trim() });
      if ((parent || null) !== (team.parentTeamId ?? null)) current = await move.mutateAsync({ team: current, parentTeamId: parent || null });
      setEditing(false);
      onDone(`Team ${current.name} saved.`);
    } catch (e) {
      setProblem(problemOf(e));
    }
  };

  return (
    <li style={{ marginInlineStart: `${depth * 1.5}rem` }} className="team-row">
      <span className="team-name">{team.name}</span>
      {!editing && (
        <span className="row-actions">
          <button type="button" onClick={() => setEditing(true)} aria-label={`Edit ${team.name}`}>
            Edit
          </button>
          <button type="button" className="danger" onClick={() => setConfirming(true)} aria-label={`Delete ${team.name}`}>
            Delete
          </button>
        </span>
      )}
      {editing && (
        <form onSubmit={save} className="inline-form" aria-label={`Edit team ${team.name}`} noValidate>
          {errors && errors.other.length > 0 && <ProblemAlert messages={errors.other} />}
          <Field label="Name" required error={errors?.fields.name}>
            {(c) => <input {...c} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} autoFocus />}
          </Field>
          <Field label="Parent team" error={errors?.fields.parentTeamId}>
            {(c) => <ParentSelect control={c} teams={teams} exclude={descendantsOf(teams, team.id)} value={parent} onChange={setParent} />}
          </Field>
          <button type="submit" className="primary" disabled={rename.isPending || move.isPending}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
      {problem && !editing && <ProblemAlert problem={problem} />}
      <ConfirmDialog
        open={confirming}
        title={`Delete team ${team.name}?`}
        confirmLabel="Delete team"
        danger
        busy={remove.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(team, {
            onSuccess: () => onDone(`Team ${team.name} deleted.`),
            onError: (e) => setProblem(problemOf(e)),
            onSettled: () => setConfirming(false),
          })
        }
      >
        <p>A team can be deleted only while no team is below it and no KPI is owned by it.</p>
      </ConfirmDialog>
    </li>
  );
}
