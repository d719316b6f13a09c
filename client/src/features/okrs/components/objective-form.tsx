import { type FormEvent, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { Cycle, Objective } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateObjective, useUpdateObjective } from '../api/objectives';

interface Draft {
  cycleId: string;
  title: string;
  description: string;
  /** `team:<id>` or `user:<id>`: exactly one owner. */
  owner: string;
  parentObjectiveId: string;
  status: 'active' | 'draft';
  kpiIds: string[];
}

const fields = ['cycleId', 'title', 'description', 'owner', 'parentObjectiveId', 'status', 'kpiIds'] as const;

export interface ObjectiveFormChoices {
  cycles: Cycle[];
  owners: { value: string; label: string }[];
  parents: { id: string; title: string; cycleName: string }[];
  kpis: { id: string; key: string; name: string }[];
}

/**
 * Create or edit an objective: its cycle (new ones only), title, description, owner (a team or the person), the
 * objective it aligns to (of its cycle or an enclosing one), draft or active, and the KPIs it watches as health
 * metrics. An edit sends everything (PUT), with If-Match; a 412 keeps the input.
 */
export function ObjectiveForm({
  objective,
  initial,
  choices,
  onCycle,
  onSaved,
}: {
  objective?: Objective;
  initial: { cycleId: string; owner: string; parentObjectiveId?: string };
  choices: ObjectiveFormChoices;
  /** The parent choices depend on the cycle: the page reads them again when it changes. */
  onCycle?: (cycleId: string) => void;
  onSaved: (saved: Objective) => void;
}) {
  const fresh = (): Draft => ({
    cycleId: objective?.cycleId ?? initial.cycleId,
    title: objective?.title ?? '',
    description: objective?.description ?? '',
    owner: objective ? (objective.ownerTeamId ? `team:${objective.ownerTeamId}` : `user:${objective.ownerUserId}`) : initial.owner,
    parentObjectiveId: objective?.parentObjectiveId ?? initial.parentObjectiveId ?? '',
    status: objective?.status === 'draft' ? 'draft' : 'active',
    kpiIds: objective?.kpis.map((k) => k.id) ?? [],
  });
  const draft = useDraft<Draft>(objective ? `objective:${objective.id}` : 'objective:new', fresh);
  const create = useCreateObjective();
  const update = useUpdateObjective();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const [other, setOther] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const d = draft.value;
  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => draft.setValue((v) => ({ ...v, [field]: value }));
  const pending = create.isPending || update.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setOther([]);
    if (!d.title.trim()) {
      setErrors({ title: 'Enter a title.' });
      formRef.current?.querySelector<HTMLElement>('[name="title"]')?.focus();
      return;
    }
    setErrors({});
    const [kind, id] = d.owner.split(':');
    const common = {
      title: d.title.trim(),
      description: d.description.trim() || null,
      ownerTeamId: kind === 'team' ? id : null,
      ownerUserId: kind === 'user' ? id : null,
      parentObjectiveId: d.parentObjectiveId || null,
      status: d.status,
      kpiIds: d.kpiIds,
    };
    const done = {
      onSuccess: (saved: Objective) => {
        draft.clear(fresh());
        onSaved(saved);
      },
      onError: (error: unknown) => {
        const p = problemOf(error);
        setProblem(p);
        if (p.status === 400) {
          const mapped = problemToFormErrors(p, [...fields, 'ownerTeamId', 'ownerUserId']);
          const owner = mapped.fields.ownerTeamId ?? mapped.fields.ownerUserId;
          if (owner) mapped.fields.owner = owner;
          setErrors(mapped.fields);
          setOther(mapped.other);
          const first = fields.find((f) => mapped.fields[f]);
          if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
        }
      },
    };
    if (objective) update.mutate({ objectiveId: objective.id, version: objective.version, body: common }, done);
    else create.mutate({ ...common, cycleId: d.cycleId }, done);
  };

  return (
    <form ref={formRef} className="kpi-form" onSubmit={submit} noValidate aria-label={objective ? `Edit ${objective.title}` : 'New objective'}>
      {draft.restored && <p className="alert alert-info">Your unsaved input was restored.</p>}
      {problem && problem.status !== 400 && <ProblemAlert problem={problem} />}
      {other.length > 0 && <ProblemAlert messages={other} />}
      {!objective && (
        <Field label="Cycle" required error={errors.cycleId}>
          {(c) => (
            <select
              {...c}
              name="cycleId"
              value={d.cycleId}
              onChange={(e) => {
                set('cycleId', e.target.value);
                onCycle?.(e.target.value);
              }}
            >
              {choices.cycles
                .filter((cy) => cy.status !== 'closed')
                .map((cy) => (
                  <option key={cy.id} value={cy.id}>
                    {cy.name} ({cy.startDate} – {cy.endDate})
                  </option>
                ))}
            </select>
          )}
        </Field>
      )}
      <Field label="Title" required hint="Qualitative and inspiring, such as “Delight our customers”." error={errors.title}>
        {(c) => <input {...c} name="title" maxLength={200} value={d.title} onChange={(e) => set('title', e.target.value)} />}
      </Field>
      <Field label="Description" error={errors.description}>
        {(c) => <textarea {...c} name="description" rows={3} maxLength={2000} value={d.description} onChange={(e) => set('description', e.target.value)} />}
      </Field>
      <div className="row">
        <Field label="Owner" required error={errors.owner}>
          {(c) => (
            <select {...c} name="owner" value={d.owner} onChange={(e) => set('owner', e.target.value)}>
              {choices.owners.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Aligned to" hint="An objective of this cycle or of one that contains it." error={errors.parentObjectiveId}>
          {(c) => (
            <select {...c} name="parentObjectiveId" value={d.parentObjectiveId} onChange={(e) => set('parentObjectiveId', e.target.value)}>
              <option value="">Nothing (a top objective)</option>
              {choices.parents
                .filter((p) => p.id !== objective?.id)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title} ({p.cycleName})
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="Status" error={errors.status}>
          {(c) => (
            <select {...c} name="status" value={d.status} onChange={(e) => set('status', e.target.value as Draft['status'])}>
              <option value="active">Active</option>
              <option value="draft">Draft</option>
            </select>
          )}
        </Field>
      </div>
      <Field label="Health-metric KPIs" hint="KPIs this objective watches (up to 20; Ctrl or Shift to choose several)." error={errors.kpiIds}>
        {(c) => (
          <select
            {...c}
            name="kpiIds"
            multiple
            size={Math.min(8, Math.max(3, choices.kpis.length))}
            value={d.kpiIds}
            onChange={(e) => set('kpiIds', Array.from(e.target.selectedOptions, (o) => o.value))}
          >
            {choices.kpis.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} ({k.key})
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
        {pending ? 'Saving…' : objective ? 'Save objective' : 'Create objective'}
      </button>
    </form>
  );
}
