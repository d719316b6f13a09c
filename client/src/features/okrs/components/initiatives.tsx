import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { InitiativeStatus } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { type InitiativeOwner, initiativesQueryOptions, useCreateInitiative, useUpdateInitiative } from '../api/objectives';

export const initiativeStatusWords: Record<InitiativeStatus, string> = {
  planned: 'Planned',
  inProgress: 'In progress',
  done: 'Done',
  dropped: 'Dropped',
};
const statuses = Object.keys(initiativeStatusWords) as InitiativeStatus[];

/** The work meant to move a key result, or an objective as a whole; writers add initiatives and move their status. */
export function Initiatives({
  owner,
  writable,
  onChanged,
  heading: Heading = 'h4',
}: {
  owner: InitiativeOwner;
  writable: boolean;
  onChanged: (message: string) => void;
  heading?: 'h2' | 'h4';
}) {
  const initiatives = useQuery(initiativesQueryOptions(owner));
  const update = useUpdateInitiative();
  const [problem, setProblem] = useState<Problem>();
  const items = initiatives.data?.items ?? [];
  return (
    <div className="initiatives">
      <Heading>{owner.of === 'objective' ? 'Initiatives of the objective' : 'Initiatives'}</Heading>
      {initiatives.isError && <ProblemAlert problem={problemOf(initiatives.error)} />}
      {problem && <ProblemAlert problem={problem} />}
      {items.length === 0 ? (
        <p className="muted small">{initiatives.isPending ? 'Loading…' : 'None yet.'}</p>
      ) : (
        <ul aria-label={`Initiatives of ${owner.title}`}>
          {items.map((i) => (
            <li key={i.id}>
              {i.externalUrl ? (
                <a href={i.externalUrl} rel="noreferrer noopener" target="_blank">
                  {i.title}
                </a>
              ) : (
                i.title
              )}{' '}
              {writable ? (
                <select
                  aria-label={`Status of ${i.title}`}
                  value={i.status}
                  onChange={(e) =>
                    update.mutate(
                      { initiativeId: i.id, version: i.version, body: { title: i.title, status: e.target.value as InitiativeStatus, externalUrl: i.externalUrl } },
                      { onSuccess: (saved) => onChanged(`“${saved.title}” is ${initiativeStatusWords[saved.status].toLowerCase()}.`), onError: (e) => setProblem(problemOf(e)) },
                    )
                  }
                >
                  {statuses.map((s) => (
                    <option key={s} value={s}>
                      {initiativeStatusWords[s]}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="tag">{initiativeStatusWords[i.status]}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {writable && <AddInitiative owner={owner} onAdded={onChanged} />}
    </div>
  );
}

function AddInitiative({ owner, onAdded }: { owner: InitiativeOwner; onAdded: (message: string) => void }) {
  const empty = { title: '', externalUrl: '' };
  const draft = useDraft(`initiative:${owner.id}`, empty);
  const create = useCreateInitiative();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [other, setOther] = useState<string[]>([]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const title = draft.value.title.trim();
    if (!title) return setErrors({ title: 'Enter a title.' });
    setErrors({});
    setOther([]);
    create.mutate(
      { owner, body: { title, externalUrl: draft.value.externalUrl.trim() || null } },
      {
        onSuccess: (saved) => {
          draft.clear(empty);
          onAdded(`Initiative “${saved.title}” added.`);
        },
        onError: (error) => {
          const mapped = problemToFormErrors(problemOf(error), ['title', 'externalUrl']);
          setErrors(mapped.fields);
          setOther(mapped.other);
        },
      },
    );
  };
  return (
    <details className="history" open={draft.restored || undefined}>
      <summary>Add an initiative</summary>
      <form className="inline-form" onSubmit={submit} noValidate aria-label={`Add an initiative to ${owner.title}`}>
        {other.length > 0 && <ProblemAlert messages={other} />}
        <div className="row">
          <Field label="Initiative" required error={errors.title}>
            {(c) => <input {...c} name="title" maxLength={200} value={draft.value.title} onChange={(e) => draft.setValue((d) => ({ ...d, title: e.target.value }))} />}
          </Field>
          <Field label="Link" hint="An epic or ticket (http or https), optional." error={errors.externalUrl}>
            {(c) => (
              <input {...c} name="externalUrl" type="url" value={draft.value.externalUrl} onChange={(e) => draft.setValue((d) => ({ ...d, externalUrl: e.target.value }))} />
            )}
          </Field>
        </div>
        <button type="submit" disabled={create.isPending}>
          Add initiative
        </button>
      </form>
    </details>
  );
}
