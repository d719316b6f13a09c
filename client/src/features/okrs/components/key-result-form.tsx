import { type FormEvent, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { KeyResult, KeyResultType } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateKeyResult, useUpdateKeyResult } from '../api/objectives';
import { type BaselineFrom, type ComparatorChoice, type KeyResultDraft as Draft, type TargetKind, draftOf, keyResultBody, keyResultFields as fields } from '../key-result-draft';

export const keyResultTypeWords: Record<KeyResultType, string> = {
  number: 'Number',
  percentage: 'Percentage',
  currency: 'Currency',
  milestone: 'Milestone (done or not)',
};
const types = Object.keys(keyResultTypeWords) as KeyResultType[];

/**
 * Add or edit a key result of any of the four types. A KPI-linked one takes its current value from the KPI (the picker
 * lists the catalogue), so it has no "current value" field; a milestone has no start or target.
 */
export function KeyResultForm({
  objectiveId,
  kr,
  kpis,
  onSaved,
  onCancel,
}: {
  objectiveId: string;
  kr?: KeyResult;
  kpis: { key: string; name: string }[];
  onSaved: (saved: KeyResult) => void;
  onCancel: () => void;
}) {
  const draft = useDraft<Draft>(kr ? `key-result:${kr.id}` : `key-result:new:${objectiveId}`, () => draftOf(kr));
  const create = useCreateKeyResult();
  const update = useUpdateKeyResult();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const [other, setOther] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const d = draft.value;
  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => draft.setValue((v) => ({ ...v, [field]: value }));
  const milestone = d.type === 'milestone';
  const relative = !milestone && d.targetKind !== 'absolute';
  const pending = create.isPending || update.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setOther([]);
    const { body, errors: found } = keyResultBody(d, kr);
    setErrors(found ?? {});
    if (!body) {
      const first = fields.find((f) => found[f]);
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const done = {
      onSuccess: (saved: KeyResult) => {
        draft.clear(draftOf(saved));
        onSaved(saved);
      },
      onError: (error: unknown) => {
        const p = problemOf(error);
        setProblem(p);
        if (p.status === 400) {
          const mapped = problemToFormErrors(p, [...fields, 'kpiId']);
          // A baseline missing from a change is the start value the form asks for.
          if (mapped.fields.startValue && relative && d.baselineFrom !== 'given') mapped.fields.baselineFrom = mapped.fields.startValue;
          if (mapped.fields.kpiId) mapped.fields.kpiKey = mapped.fields.kpiId;
          setErrors(mapped.fields);
          setOther(mapped.other);
          const first = fields.find((f) => mapped.fields[f]);
          if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
        }
      },
    };
    if (kr) update.mutate({ keyResultId: kr.id, version: kr.version, body }, done);
    else create.mutate({ objectiveId, body }, done);
  };

  const equal = !relative && d.startValue.trim() !== '' && d.startValue.trim() === d.targetValue.trim();
  return (
    <form ref={formRef} className="kr-form" onSubmit={submit} noValidate aria-label={kr ? `Edit ${kr.title}` : 'New key result'}>
      {problem && problem.status !== 400 && <ProblemAlert problem={problem} />}
      {other.length > 0 && <ProblemAlert messages={other} />}
      <Field label="Title" required hint="A measurable outcome, such as “Raise NPS from 31 to 45”." error={errors.title}>
        {(c) => <input {...c} name="title" maxLength={200} value={d.title} onChange={(e) => set('title', e.target.value)} />}
      </Field>
      <div className="row">
        <Field label="Type" error={errors.type}>
          {(c) => (
            <select {...c} name="type" value={d.type} onChange={(e) => set('type', e.target.value as KeyResultType)}>
              {types.map((t) => (
                <option key={t} value={t}>
                  {keyResultTypeWords[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Fed by KPI" hint="Its latest value becomes the current value; check-ins then carry a confidence and a note." error={errors.kpiKey}>
          {(c) => (
            <select {...c} name="kpiKey" value={d.kpiKey} onChange={(e) => set('kpiKey', e.target.value)}>
              <option value="">None: checked in by hand</option>
              {kpis.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.name} ({k.key})
                </option>
              ))}
            </select>
          )}
        </Field>
        {!milestone && (
          <Field label="Unit" hint="Such as %, EUR, deals." error={errors.unit}>
            {(c) => <input {...c} name="unit" maxLength={32} value={d.unit} onChange={(e) => set('unit', e.target.value)} />}
          </Field>
        )}
      </div>
      {!milestone && (
        <fieldset className="kr-target">
          <legend>Target</legend>
          <div className="row">
            <Field label="Target as" error={errors.targetKind}>
              {(c) => (
                <select {...c} name="targetKind" value={d.targetKind} onChange={(e) => set('targetKind', e.target.value as TargetKind)}>
                  <option value="absolute">A value to reach</option>
                  <option value="percent">A change in per cent (+15, −50)</option>
                  <option value="by">A change by an amount (+3, −2.5)</option>
                </select>
              )}
            </Field>
            {relative && (
              <Field label="Baseline from" hint="The value the change starts from." error={errors.baselineFrom}>
                {(c) => (
                  <select {...c} name="baselineFrom" value={d.baselineFrom} onChange={(e) => set('baselineFrom', e.target.value as BaselineFrom)}>
                    <option value="given">A value I enter</option>
                    <option value="kpi">The linked KPI’s latest value</option>
                    <option value="firstCheckIn">The first check-in</option>
                  </select>
                )}
              </Field>
            )}
            {(!relative || d.baselineFrom === 'given') && (
              <Field label={relative ? 'Baseline' : 'Start value'} required error={errors.startValue}>
                {(c) => <input {...c} name="startValue" inputMode="decimal" autoComplete="off" value={d.startValue} onChange={(e) => set('startValue', e.target.value)} />}
              </Field>
            )}
            {relative ? (
              <Field
                label={d.targetKind === 'percent' ? 'Change in per cent' : 'Change by'}
                required
                hint={d.targetKind === 'percent' ? 'Negative for a decrease: −50 halves it.' : 'Negative for a decrease.'}
                error={errors.change}
              >
                {(c) => <input {...c} name="change" inputMode="decimal" autoComplete="off" value={d.changeAmount} onChange={(e) => set('changeAmount', e.target.value)} />}
              </Field>
            ) : (
              <Field label="Target value" required hint="Below the start for a decrease." error={errors.targetValue}>
                {(c) => <input {...c} name="targetValue" inputMode="decimal" autoComplete="off" value={d.targetValue} onChange={(e) => set('targetValue', e.target.value)} />}
              </Field>
            )}
            {equal && (
              <Field label="Direction" hint="Start and target are equal: keep it at or above, or at or below?" error={errors.direction}>
                {(c) => (
                  <select {...c} name="direction" value={d.direction} onChange={(e) => set('direction', e.target.value as Draft['direction'])}>
                    <option value="">At or above (increase)</option>
                    <option value="decrease">At or below (decrease)</option>
                  </select>
                )}
              </Field>
            )}
            <Field label="Met when" hint="Strict: standing exactly on the target is not enough." error={errors.comparator}>
              {(c) => (
                <select {...c} name="comparator" value={d.comparator} onChange={(e) => set('comparator', e.target.value as ComparatorChoice)}>
                  <option value="">It reaches the target</option>
                  <option value="greaterThan">It passes the target (more than)</option>
                  <option value="lessThan">It passes the target (less than)</option>
                </select>
              )}
            </Field>
            {!kr && !d.kpiKey && !(relative && d.baselineFrom === 'firstCheckIn') && (
              <Field label="Current value" hint="Where it stands today; the start value if empty." error={errors.currentValue}>
                {(c) => (
                  <input {...c} name="currentValue" inputMode="decimal" autoComplete="off" value={d.currentValue} onChange={(e) => set('currentValue', e.target.value)} />
                )}
              </Field>
            )}
          </div>
        </fieldset>
      )}
      <fieldset className="kr-timeframe">
        <legend>Timeframe (optional: the cycle’s by default)</legend>
        <div className="row">
          <Field label="Start date" error={errors.startDate}>
            {(c) => <input {...c} name="startDate" type="date" value={d.startDate} onChange={(e) => set('startDate', e.target.value)} />}
          </Field>
          <Field label="Due date" hint="Such as “by the end of August”." error={errors.dueDate}>
            {(c) => <input {...c} name="dueDate" type="date" value={d.dueDate} onChange={(e) => set('dueDate', e.target.value)} />}
          </Field>
          <Field label="Reason for dates outside the cycle" hint="Needed only when a date lies outside the cycle." error={errors.timeframeReason}>
            {(c) => (
              <input {...c} name="timeframeReason" maxLength={1000} value={d.timeframeReason} onChange={(e) => set('timeframeReason', e.target.value)} />
            )}
          </Field>
        </div>
      </fieldset>
      <Field label="Weight" hint="How much it counts in the objective's progress (default 1)." error={errors.weight}>
        {(c) => <input {...c} name="weight" inputMode="decimal" autoComplete="off" value={d.weight} onChange={(e) => set('weight', e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
          {pending ? 'Saving…' : kr ? 'Save key result' : 'Add key result'}
        </button>
        <button
          type="button"
          onClick={() => {
            draft.clear(draftOf(kr));
            onCancel();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
