import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { FormProblemAlert } from '@/components/ui/problem-alert';
import { SuggestInput } from '@/components/ui/suggest-input';
import type { Receiver } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { usePatchReceiver } from '../api/integrations';
import { emptyOutput, formToPatch, type OutputPath, outputPaths, type ReceiverFormValues, receiverFormFields, receiverToForm } from './receiver-form-values';

const pathLabels: Record<OutputPath, { label: string; hint: string }> = {
  occurredAt: { label: 'Time', hint: 'When it happened; empty: the time of delivery.' },
  value: { label: 'Value', hint: 'A number; empty: the event is counted.' },
  eventId: { label: 'Event id', hint: 'A redelivery with the same id is recorded once.' },
  durationFrom: { label: 'Duration from', hint: 'With Duration to: the value is the hours between them (lead time).' },
  durationTo: { label: 'Duration to', hint: 'With Duration from.' },
  filter: { label: 'Output filter', hint: 'This output only makes an event when it is true.' },
};

/**
 * Edits a receiver: name, filter, the KPIs it feeds with the JMESPath of each value, and whether it takes deliveries.
 * The input is a draft until saved, so a 412 (another admin saved first) or a sign-in on the way keeps it.
 */
export function EditReceiverForm({
  receiver,
  kpiKeys,
  onSaved,
  onCancel,
  onReload,
}: {
  receiver: Receiver;
  kpiKeys: string[];
  onSaved: (receiver: Receiver) => void;
  onCancel: () => void;
  /** Fetch the receiver again after a 412; resolves with the current version. */
  onReload: () => Promise<Receiver | undefined>;
}) {
  const draft = useDraft<{ values: ReceiverFormValues; version: number }>(`edit-receiver:${receiver.id}`, () => ({
    values: receiverToForm(receiver),
    version: receiver.version,
  }));
  const { values } = draft.value;
  const patch = usePatchReceiver();
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const [focusError, setFocusError] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = problem?.status === 400 ? problemToFormErrors(problem, receiverFormFields(values.outputs.length)) : undefined;

  useEffect(() => {
    if (focusError === 0) return;
    const form = formRef.current;
    (form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.alert-error'))?.focus();
  }, [focusError]);

  const set = (change: (v: ReceiverFormValues) => ReceiverFormValues) => draft.setValue((d) => ({ ...d, values: change(d.values) }));
  const setOutput = (index: number, member: keyof typeof emptyOutput, text: string) =>
    set((v) => ({ ...v, outputs: v.outputs.map((o, i) => (i === index ? { ...o, [member]: text } : o)) }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setNotice(undefined);
    patch.mutate(
      { receiverId: receiver.id, version: draft.value.version, patch: formToPatch(values) },
      {
        onSuccess: (saved) => {
          draft.clear({ values: receiverToForm(saved), version: saved.version });
          onSaved(saved);
        },
        onError: (e) => {
          setProblem(problemOf(e));
          setFocusError((n) => n + 1);
        },
      },
    );
  };

  const reload = async () => {
    const current = await onReload();
    if (!current) return;
    draft.setValue((d) => ({ ...d, version: current.version }));
    setProblem(undefined);
    setNotice(`Loaded version ${current.version}. Your input is unchanged: Save to apply it over that version, or Cancel to keep theirs.`);
  };

  const cancel = () => {
    draft.clear({ values: receiverToForm(receiver), version: receiver.version });
    onCancel();
  };

  return (
    <form ref={formRef} className="receiver-form" onSubmit={submit} noValidate aria-labelledby="edit-receiver-title">
      <h2 id="edit-receiver-title">Edit receiver</h2>
      {draft.restored && (
        <p className="alert alert-info" role="status">
          Your unsaved input was restored.
        </p>
      )}
      {notice && (
        <p className="alert alert-info" role="status">
          {notice}
        </p>
      )}
      <FormProblemAlert problem={problem} what="receiver" other={errors?.other ?? []} fieldErrorCount={Object.keys(errors?.fields ?? {}).length} onReload={reload} />
      <Field label="Name" required error={errors?.fields.name}>
        {(c) => <input {...c} value={values.name} maxLength={100} onChange={(e) => set((v) => ({ ...v, name: e.target.value }))} />}
      </Field>
      <Field label="Filter" hint="A JMESPath expression; a payload it finds false is ignored. Empty: every payload counts." error={errors?.fields.filter}>
        {(c) => <input {...c} className="mono" value={values.filter} spellCheck={false} onChange={(e) => set((v) => ({ ...v, filter: e.target.value }))} />}
      </Field>
      <div className="field">
        <label>
          <input type="checkbox" checked={values.enabled} onChange={(e) => set((v) => ({ ...v, enabled: e.target.checked }))} /> Enabled: takes deliveries
        </label>
      </div>
      {errors?.fields.outputs && (
        <p className="field-error" role="alert">
          <span aria-hidden="true">✕ </span>
          {errors.fields.outputs}
        </p>
      )}
      {values.outputs.map((output, i) => (
        <fieldset key={i} className="receiver-output">
          <legend>Output {i + 1}</legend>
          <Field label="KPI" required hint="The key of a KPI fed by events." error={errors?.fields[`outputs[${i}].kpi`] ?? errors?.fields[`outputs[${i}]`]}>
            {(c) => <SuggestInput {...c} listId={`edit-receiver-kpis-${i}`} suggestions={kpiKeys} value={output.kpi} onValue={(key) => setOutput(i, 'kpi', key)} />}
          </Field>
          {outputPaths.map((p) => (
            <Field key={p} label={pathLabels[p].label} hint={pathLabels[p].hint} error={errors?.fields[`outputs[${i}].${p}`]}>
              {(c) => <input {...c} className="mono" value={output[p]} spellCheck={false} onChange={(e) => setOutput(i, p, e.target.value)} />}
            </Field>
          ))}
          {values.outputs.length > 1 && (
            <button type="button" onClick={() => set((v) => ({ ...v, outputs: v.outputs.filter((_, j) => j !== i) }))}>
              Remove output {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <p>
        <button type="button" onClick={() => set((v) => ({ ...v, outputs: [...v.outputs, { ...emptyOutput }] }))}>
          Add an output
        </button>
      </p>
      <div className="actions">
        <button type="submit" className="primary" disabled={patch.isPending} aria-busy={patch.isPending}>
          Save receiver
        </button>
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
