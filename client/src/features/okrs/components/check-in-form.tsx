import { type FormEvent, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { KeyResult } from '@/lib/api/types';
import { dropDraft, useDraft } from '@/lib/drafts';
import { currentAndTarget, keyResultValue } from '@/lib/okr-health';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCheckIn } from '../api/objectives';

interface Draft {
  value: string;
  confidence: string;
  note: string;
}

const fields = ['value', 'confidence', 'note'] as const;
const number = /^-?\d+(\.\d+)?$/;

export const checkInDraftKey = (keyResultId: string) => `check-in:${keyResultId}`;

/**
 * A check-in: value, confidence 0–10, note. The input is a draft (kept across a trip to sign-in) until saved.
 * `onCancel` adds a Cancel button (the dialog); `submitLabel` names the save for the weekly flow.
 */
export function CheckInForm({
  kr,
  onDone,
  onCancel,
  submitLabel = 'Check in',
}: {
  kr: KeyResult;
  onDone: (message: string) => void;
  onCancel?: () => void;
  submitLabel?: string;
}) {
  const fresh = (): Draft => ({ value: kr.currentValue === null ? '' : String(kr.currentValue), confidence: '', note: '' });
  const draft = useDraft<Draft>(checkInDraftKey(kr.id), fresh);
  const checkIn = useCheckIn();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const [other, setOther] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const set = (field: keyof Draft, value: string) => draft.setValue((d) => ({ ...d, [field]: value }));
  const milestone = kr.type === 'milestone';
  // A KPI-fed key result's check-in records the KPI's latest value; the person adds confidence and a note only.
  const fedByKpi = kr.currentValueSource === 'kpi' || kr.kpiKey !== null;

  const focusFirst = (found: Record<string, string>) => {
    const first = fields.find((f) => found[f]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setOther([]);
    const text = draft.value.value.trim().replace(/\u2212/g, '-');
    const confidence = draft.value.confidence.trim();
    const found: Record<string, string> = {};
    if (!fedByKpi && !number.test(text)) found.value = text === '' ? 'Enter a value.' : 'Enter a number, such as 42 or -1.5 (with a dot for decimals).';
    if (confidence !== '' && !/^(10|\d)$/.test(confidence)) found.confidence = 'Enter a whole number from 0 to 10, or leave it empty.';
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirst(found);
    const value = fedByKpi ? null : Number(text);
    checkIn.mutate(
      { keyResultId: kr.id, body: { ...(fedByKpi ? {} : { value }), confidence: confidence === '' ? null : Number(confidence), note: draft.value.note.trim() || null } },
      {
        onSuccess: () => {
          dropDraft(checkInDraftKey(kr.id));
          onDone(fedByKpi ? `Checked in on “${kr.title}” (value from KPI ${kr.kpiKey ?? ''}).` : `Checked in ${keyResultValue(kr, value)} on “${kr.title}”.`);
        },
        onError: (error) => {
          const p = problemOf(error);
          setProblem(p);
          if (p.status === 400) {
            const mapped = problemToFormErrors(p, fields);
            setErrors(mapped.fields);
            setOther(mapped.other);
            focusFirst(mapped.fields);
          }
        },
      },
    );
  };

  const cancel = () => {
    // Cancel is a decision to drop the input, unlike a session that ends.
    dropDraft(checkInDraftKey(kr.id));
    onCancel?.();
  };

  return (
    <form ref={formRef} className="check-in-form" onSubmit={submit} noValidate aria-label={`Check in on ${kr.title}`}>
      {draft.restored && <p className="alert alert-info">Your unsaved check-in was restored.</p>}
      {problem && problem.status !== 400 && <ProblemAlert problem={problem} />}
      {other.length > 0 && <ProblemAlert messages={other} />}
      <p className="muted small">
        Now {currentAndTarget(kr)}.
        {fedByKpi && ` The value comes from KPI ${kr.kpiKey ?? ''}: its latest value is recorded with your check-in.`}
      </p>
      <div className="row">
        {!fedByKpi && (
        <Field
          label="Value"
          required
          hint={milestone ? '1 when done, 0 when not.' : kr.unit ? `In ${kr.unit}.` : undefined}
          error={errors.value}
        >
          {(c) => <input {...c} name="value" inputMode="decimal" autoComplete="off" value={draft.value.value} onChange={(e) => set('value', e.target.value)} />}
        </Field>
        )}
        <Field label="Confidence" hint="0 (no chance) to 10 (certain); optional." error={errors.confidence}>
          {(c) => (
            <input {...c} name="confidence" inputMode="numeric" autoComplete="off" value={draft.value.confidence} onChange={(e) => set('confidence', e.target.value)} />
          )}
        </Field>
      </div>
      <Field label="Note" hint="What moved it, what is in the way (up to 1,000 characters)." error={errors.note}>
        {(c) => <textarea {...c} name="note" rows={3} maxLength={1000} value={draft.value.note} onChange={(e) => set('note', e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={checkIn.isPending} aria-busy={checkIn.isPending}>
          {checkIn.isPending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
