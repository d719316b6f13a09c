import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SuggestInput } from '@/components/ui/suggest-input';
import type { Receiver, ReceiverDefinition, ReceiverInput } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateReceiver } from '../api/integrations';
import { HookUrl } from './hook-url';

interface Draft {
  name: string;
  preset: string;
  kpis: string[];
  filter: string;
}

const empty: Draft = { name: '', preset: '', kpis: [], filter: '' };
const fields = ['name', 'preset', 'kpis', 'filter'] as const;

/** What one output of a preset makes of a payload, in words. */
function outputWords(output: ReceiverDefinition['outputs'][number]): string {
  if (output.durationFrom && output.durationTo) return `hours from ${output.durationFrom} to ${output.durationTo}`;
  if (output.value) return `the value of ${output.value}`;
  return 'a count: 1 per delivery';
}

/** A new receiver from a preset: the KPIs its outputs feed, optionally its own filter; then its hook URL. */
export function CreateReceiverForm({ presets, kpiKeys }: { presets: Record<string, ReceiverDefinition>; kpiKeys: string[] }) {
  const draft = useDraft<Draft>('create-receiver', empty);
  const create = useCreateReceiver();
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<Receiver>();
  const d = draft.value;
  const preset = d.preset ? presets[d.preset] : undefined;
  const errors = problem?.status === 400 ? problemToFormErrors(problem, fields) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    // Outputs feed KPIs by position: blanks inside stay (the API names them), blanks after the last key are left off.
    const kpis = (preset?.outputs ?? []).map((_, i) => d.kpis[i]?.trim() ?? '');
    while (kpis.length > 0 && kpis[kpis.length - 1] === '') kpis.pop();
    create.mutate(
      // The select offers only the server's preset keys; an unchosen one ('') is sent as it is, so the 400 names the field.
      { name: d.name.trim(), preset: d.preset as ReceiverInput['preset'], kpis, filter: d.filter.trim() || null },
      {
        onSuccess: (receiver) => {
          setCreated(receiver);
          draft.clear(empty);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };

  const setKpi = (index: number, key: string) =>
    draft.setValue((x) => {
      const kpis = [...x.kpis];
      kpis[index] = key;
      return { ...x, kpis };
    });

  return (
    <>
      {created && <CreatedReceiver receiver={created} onDone={() => setCreated(undefined)} />}
      <form className="receiver-form" onSubmit={submit} noValidate aria-labelledby="new-receiver-title">
        <h2 id="new-receiver-title">New receiver</h2>
        <p className="help">Turns a provider's payloads (Azure DevOps, Jira, CI) into events of KPIs fed by events.</p>
        {problem && (problem.status !== 400 || (errors && errors.other.length > 0)) && (
          <ProblemAlert messages={problem.status === 400 ? errors!.other : undefined} problem={problem.status === 400 ? undefined : problem} />
        )}
        <Field label="Name" required hint="What it receives, e.g. Bugs closed in Azure DevOps." error={errors?.fields.name}>
          {(c) => <input {...c} value={d.name} maxLength={100} onChange={(e) => draft.setValue((x) => ({ ...x, name: e.target.value }))} />}
        </Field>
        <Field label="Preset" required hint="The provider's payload it reads." error={errors?.fields.preset}>
          {(c) => (
            <select {...c} value={d.preset} onChange={(e) => draft.setValue((x) => ({ ...x, preset: e.target.value, kpis: [] }))}>
              <option value="">Choose a preset</option>
              {Object.keys(presets).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
        {preset && (
          <fieldset aria-describedby={errors?.fields.kpis ? 'receiver-kpis-error' : undefined}>
            <legend>KPIs it feeds</legend>
            {errors?.fields.kpis && (
              <p className="field-error" id="receiver-kpis-error">
                {errors.fields.kpis}
              </p>
            )}
            {preset.outputs.map((output, i) => (
              <Field
                key={`${d.preset}-${i}`}
                label={preset.outputs.length === 1 ? 'KPI' : `KPI ${i + 1}`}
                required={i === 0}
                hint={`Fed by events: ${outputWords(output)}.${i > 0 ? ' Optional.' : ''}`}
              >
                {(c) => <SuggestInput {...c} listId="receiver-kpis" suggestions={kpiKeys} value={d.kpis[i] ?? ''} onValue={(key) => setKpi(i, key)} />}
              </Field>
            ))}
          </fieldset>
        )}
        <Field
          label="Filter (optional)"
          hint={
            <>
              A JMESPath expression replacing the preset's{preset?.filter ? <> (<code>{preset.filter}</code>)</> : null}; a payload it finds false is ignored.
            </>
          }
          error={errors?.fields.filter}
        >
          {(c) => <input {...c} className="mono" value={d.filter} spellCheck={false} onChange={(e) => draft.setValue((x) => ({ ...x, filter: e.target.value }))} />}
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create receiver
        </button>
      </form>
    </>
  );
}

function CreatedReceiver({ receiver, onDone }: { receiver: Receiver; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="show-once alert alert-success" aria-labelledby="created-receiver-title">
      <h2 id="created-receiver-title" tabIndex={-1} ref={heading}>
        Receiver “{receiver.name}” created
      </h2>
      <HookUrl receiver={receiver} />
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
