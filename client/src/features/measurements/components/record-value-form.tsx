import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { newIdempotencyKey } from '@/lib/api-client';
import type { Frequency, ValueType } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { formatValue } from '@/lib/format';
import { periodHint, periodLabel } from '@/lib/periods';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { jsonNumber, useRecordValue } from '../api/measurements';

type Kpi = { key: string; name: string; unit?: string | null; valueType: ValueType; frequency: Frequency };

interface Draft {
  period: string;
  value: string;
  note: string;
  /** Kept with the draft: a retry of this submission (after a timeout, a 401 and sign-in) is a replay, never a twin. */
  idempotencyKey: string;
}

export interface Preset {
  period: string;
  value: unknown;
  note?: string | null;
  /** Changes on every Edit click, so the same period can be edited twice. */
  nonce: number;
}

const fields = ['period', 'value', 'note'] as const;

/** Record (or replace) the value of one period. The input is a draft until it is saved. */
export function RecordValueForm({ kpi, preset, onRecorded }: { kpi: Kpi; preset?: Preset; onRecorded: (message: string) => void }) {
  const fresh = (): Draft => ({ period: periodLabel(kpi.frequency, new Date()), value: kpi.valueType === 'boolean' ? 'true' : '', note: '', idempotencyKey: newIdempotencyKey() });
  const draft = useDraft<Draft>(`record-value:${kpi.key}`, fresh);
  const record = useRecordValue(kpi.key);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const [other, setOther] = useState<string[]>([]);
  const valueRef = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!preset) return;
    const value = typeof preset.value === 'boolean' ? String(preset.value) : preset.value == null ? '' : String(preset.value);
    draft.setValue({ period: preset.period, value, note: preset.note ?? '', idempotencyKey: newIdempotencyKey() });
    setErrors({});
    setProblem(undefined);
    formRef.current?.scrollIntoView({ block: 'nearest' });
    valueRef.current?.focus();
    // Only a new Edit click (a new nonce) applies the preset; typing must not be overwritten by it.
  }, [preset?.nonce]);

  const set = (field: keyof Draft, value: string) => draft.setValue((d) => ({ ...d, [field]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setOther([]);
    const { period, note, idempotencyKey } = draft.value;
    const text = draft.value.value.trim().replace(/\u2212/g, '-');
    let value: string | boolean;
    if (kpi.valueType === 'boolean') value = text === 'true';
    else if (jsonNumber.test(text)) value = text;
    else {
      setErrors({ value: text === '' ? 'Enter a value.' : 'Enter a number, such as 42 or -1.5 (with a dot for decimals).' });
      valueRef.current?.focus();
      return;
    }
    setErrors({});
    record.mutate(
      { period: period.trim(), value, note, idempotencyKey },
      {
        onSuccess: (response) => {
          const m = response.measurement;
          draft.clear({ ...fresh(), period: draft.value.period });
          onRecorded(
            `${response.result === 'created' ? 'Recorded' : response.result === 'updated' ? 'Replaced' : 'Unchanged:'} ${formatValue(m.value, kpi.valueType, kpi.unit)} for ${m.period}.`,
          );
        },
        onError: (error) => {
          const p = problemOf(error);
          setProblem(p);
          if (p.status === 400) {
            const mapped = problemToFormErrors(p, fields);
            setErrors(mapped.fields);
            setOther(mapped.other);
            const first = fields.find((f) => mapped.fields[f]);
            if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
          } else {
            // Anything but a 400 is not about this input: the next attempt is a new request.
            draft.setValue((d) => ({ ...d, idempotencyKey: p.status === 0 || p.status >= 500 ? d.idempotencyKey : newIdempotencyKey() }));
          }
        },
      },
    );
  };

  return (
    <form ref={formRef} className="record-form" onSubmit={submit} noValidate aria-labelledby="record-heading">
      <h2 id="record-heading">Record a value</h2>
      <p className="muted">A period that has a value gets the new one; the old value stays in the period's history.</p>
      {problem && problem.status !== 400 && <ProblemAlert problem={problem} />}
      {other.length > 0 && <ProblemAlert messages={other} />}
      <div className="row">
        <Field label="Period" required hint={periodHint(kpi.frequency, new Date())} error={errors.period}>
          {(c) => <input {...c} name="period" value={draft.value.period} onChange={(e) => set('period', e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Value" required hint={kpi.unit ? `In ${kpi.unit}.` : undefined} error={errors.value}>
          {(c) =>
            kpi.valueType === 'boolean' ? (
              <select {...c} ref={valueRef} name="value" value={draft.value.value} onChange={(e) => set('value', e.target.value)}>
                <option value="true">Yes</option>
                <option value="false">No</option>
              </select>
            ) : (
              <input {...c} ref={valueRef} name="value" inputMode="decimal" value={draft.value.value} onChange={(e) => set('value', e.target.value)} autoComplete="off" />
            )
          }
        </Field>
        <Field label="Note" error={errors.note}>
          {(c) => <input {...c} name="note" value={draft.value.note} maxLength={1000} onChange={(e) => set('note', e.target.value)} />}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={record.isPending} aria-busy={record.isPending}>
        {record.isPending ? 'Saving…' : 'Record value'}
      </button>
    </form>
  );
}
