import { type FormEvent, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { KeyResult, KeyResultInput, KeyResultType } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateKeyResult, useUpdateKeyResult } from '../api/objectives';

export const keyResultTypeWords: Record<KeyResultType, string> = {
  number: 'Number',
  percentage: 'Percentage',
  currency: 'Currency',
  milestone: 'Milestone (done or not)',
};
const types = Object.keys(keyResultTypeWords) as KeyResultType[];

interface Draft {
  title: string;
  type: KeyResultType;
  unit: string;
  startValue: string;
  targetValue: string;
  direction: '' | 'increase' | 'decrease';
  currentValue: string;
  weight: string;
  kpiKey: string;
}

const fields = ['title', 'type', 'unit', 'startValue', 'targetValue', 'direction', 'currentValue', 'weight', 'kpiKey'] as const;
const number = /^-?\d+(\.\d+)?$/;

const draftOf = (kr?: KeyResult): Draft => ({
  title: kr?.title ?? '',
  type: kr?.type ?? 'number',
  unit: kr?.unit ?? '',
  startValue: kr ? String(kr.startValue) : '',
  targetValue: kr ? String(kr.targetValue) : '',
  direction: '',
  currentValue: '',
  weight: kr ? String(kr.weight) : '1',
  kpiKey: kr?.kpiKey ?? '',
});

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
  const pending = create.isPending || update.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setOther([]);
    const found: Record<string, string> = {};
    const num = (field: 'startValue' | 'targetValue' | 'currentValue' | 'weight', required: boolean) => {
      const text = d[field].trim().replace(/\u2212/g, '-');
      if (text === '') {
        if (required) found[field] = 'Enter a number.';
        return null;
      }
      if (!number.test(text)) {
        found[field] = 'Enter a number, such as 42 or -1.5 (with a dot for decimals).';
        return null;
      }
      return Number(text);
    };
    if (!d.title.trim()) found.title = 'Enter a title.';
    const startValue = milestone ? null : num('startValue', true);
    const targetValue = milestone ? null : num('targetValue', true);
    const currentValue = kr || d.kpiKey ? null : num('currentValue', false);
    const weight = num('weight', false);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = fields.find((f) => found[f]);
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const body: KeyResultInput = {
      title: d.title.trim(),
      type: d.type,
      unit: d.unit.trim() || null,
      startValue,
      targetValue,
      direction: d.direction || null,
      weight,
      kpiKey: d.kpiKey || null,
      ...(kr ? {} : { currentValue }),
    };
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

  const equal = d.startValue.trim() !== '' && d.startValue.trim() === d.targetValue.trim();
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
        <Field label="Fed by KPI" hint="Its latest value becomes the current value; no check-ins then." error={errors.kpiKey}>
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
        <div className="row">
          <Field label="Start value" required error={errors.startValue}>
            {(c) => <input {...c} name="startValue" inputMode="decimal" autoComplete="off" value={d.startValue} onChange={(e) => set('startValue', e.target.value)} />}
          </Field>
          <Field label="Target value" required hint="Below the start for a decrease." error={errors.targetValue}>
            {(c) => <input {...c} name="targetValue" inputMode="decimal" autoComplete="off" value={d.targetValue} onChange={(e) => set('targetValue', e.target.value)} />}
          </Field>
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
          {!kr && !d.kpiKey && (
            <Field label="Current value" hint="Where it stands today; the start value if empty." error={errors.currentValue}>
              {(c) => (
                <input {...c} name="currentValue" inputMode="decimal" autoComplete="off" value={d.currentValue} onChange={(e) => set('currentValue', e.target.value)} />
              )}
            </Field>
          )}
        </div>
      )}
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
