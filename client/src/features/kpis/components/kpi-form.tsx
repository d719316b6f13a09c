import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

import { Field } from '@/components/ui/field';
import { FormProblemAlert } from '@/components/ui/problem-alert';
import type { Comparator, Kpi } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { aggregationWords, comparatorWords, fedByWords, frequencyWords, valueTypeWords } from '@/lib/format';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateKpi, useUpdateKpi } from '../api/kpis';
import { FormulaChecker } from './formula-check';
import { emptyKpiForm, formToKpiInput, kpiFormFields, type KpiFormValues, kpiToForm, targetFieldsFor } from './kpi-form-values';

export interface TeamChoice {
  id: string;
  label: string;
}

/**
 * Create or edit a KPI definition. The input is a draft in sessionStorage until it is saved, so neither a 401 (sign
 * in again and come back) nor a 412 (someone saved first) loses it.
 */
export function KpiForm({
  kpi,
  teams,
  allowNoOwner,
  onSaved,
  onReload,
}: {
  /** The KPI being edited, as last read; absent when creating. */
  kpi?: Kpi;
  teams: TeamChoice[];
  allowNoOwner: boolean;
  onSaved: (kpi: Kpi) => void;
  /** Fetch the KPI again after a 412; resolves with the current version. */
  onReload?: () => Promise<Kpi | undefined>;
}) {
  const draftKey = kpi ? `kpi-form:edit:${kpi.id}` : 'kpi-form:new';
  const draft = useDraft<{ values: KpiFormValues; version?: number }>(draftKey, () => ({
    values: kpi ? kpiToForm(kpi) : emptyKpiForm(allowNoOwner ? '' : (teams[0]?.id ?? '')),
    version: kpi?.version,
  }));
  const { values } = draft.value;
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const [other, setOther] = useState<string[]>([]);
  const [notice, setNotice] = useState<string>();
  const [discarded, setDiscarded] = useState(false);
  const create = useCreateKpi();
  const update = useUpdateKpi();
  const formRef = useRef<HTMLFormElement>(null);
  const [focusError, setFocusError] = useState(0);
  const formulaCheckId = useId();

  useEffect(() => {
    if (focusError === 0) return;
    const form = formRef.current;
    (form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('.alert-error'))?.focus();
  }, [focusError]);

  const set = <K extends keyof KpiFormValues>(field: K, value: KpiFormValues[K]) =>
    draft.setValue((d) => {
      const next = { ...d.values, [field]: value };
      if (field === 'valueType' && value === 'boolean') {
        next['target.comparator'] = 'equals';
        if (next['target.value'] !== '0') next['target.value'] = '1';
        next['target.warning'] = '';
      }
      return { ...d, values: next };
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setOther([]);
    setNotice(undefined);
    const parsed = formToKpiInput(values);
    if ('errors' in parsed) {
      setFieldErrors(parsed.errors);
      setFocusError((n) => n + 1);
      return;
    }
    setFieldErrors({});
    const onError = (error: unknown) => {
      const p = problemOf(error);
      setProblem(p);
      if (p.status === 400) {
        const mapped = problemToFormErrors(p, kpiFormFields);
        setFieldErrors(mapped.fields);
        setOther(mapped.other);
      } else {
        setOther([]);
      }
      setFocusError((n) => n + 1);
    };
    const onSuccess = (saved: Kpi) => {
      draft.clear({ values: kpiToForm(saved), version: saved.version });
      onSaved(saved);
    };
    if (kpi) update.mutate({ idOrKey: kpi.id, version: draft.value.version ?? kpi.version, body: parsed.input }, { onSuccess, onError });
    else create.mutate(parsed.input, { onSuccess, onError });
  };

  const reload = async () => {
    const current = await onReload?.();
    if (!current) return;
    draft.setValue((d) => ({ ...d, version: current.version }));
    setProblem(undefined);
    setNotice(`Loaded version ${current.version}. Your input is unchanged: Save to apply it over that version, or Cancel to keep theirs.`);
  };

  const comparator = values['target.comparator'];
  const used = new Set(targetFieldsFor(comparator));
  const isBoolean = values.valueType === 'boolean';
  const pending = create.isPending || update.isPending;

  return (
    <form ref={formRef} className="kpi-form" onSubmit={submit} noValidate aria-label={kpi ? `Edit ${kpi.name}` : 'New KPI'}>
      {draft.restored && !discarded && (
        <p className="alert alert-info" role="status">
          Your unsaved input was restored.{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              draft.clear({ values: kpi ? kpiToForm(kpi) : emptyKpiForm(allowNoOwner ? '' : (teams[0]?.id ?? '')), version: kpi?.version });
              setDiscarded(true);
            }}
          >
            Discard it
          </button>
        </p>
      )}
      {notice && (
        <p className="alert alert-info" role="status">
          {notice}
        </p>
      )}
      <FormProblemAlert problem={problem} what="KPI" other={other} fieldErrorCount={Object.keys(fieldErrors).length} onReload={reload} />

      <fieldset>
        <legend>Identity</legend>
        <Field
          label="Key"
          required
          hint={kpi?.hasMeasurements ? 'Frozen: integrators push by this key and the KPI has values.' : 'Letters and digits, words joined by -, _ or . (e.g. defect-rate). Integrators push by it.'}
          error={fieldErrors.key}
        >
          {(c) => (
            <input {...c} value={values.key} maxLength={64} readOnly={kpi?.hasMeasurements} onChange={(e) => set('key', e.target.value)} autoComplete="off" spellCheck={false} />
          )}
        </Field>
        <Field label="Name" required error={fieldErrors.name}>
          {(c) => <input {...c} value={values.name} maxLength={200} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Description" error={fieldErrors.description}>
          {(c) => <textarea {...c} value={values.description} maxLength={2000} rows={2} onChange={(e) => set('description', e.target.value)} />}
        </Field>
        <Field label="Fed by" hint="Where the values come from: pushes and imports; events (each occurrence recorded, a period's value combined from its events by the aggregation); or computed from other KPIs whenever they change." error={fieldErrors.fedBy}>
          {(c) => (
            <select {...c} value={values.fedBy} onChange={(e) => set('fedBy', e.target.value as KpiFormValues['fedBy'])}>
              {Object.entries(fedByWords).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Formula"
          required={values.fedBy === 'formula'}
          hint={
            values.fedBy === 'formula'
              ? 'An expression over other KPIs by key in braces, e.g. {signups} / {visitors} * 100; previous({revenue}), sum({k}, 4), round(x, 2) and if(condition, a, b) too.'
              : 'How the value is computed, in words, e.g. defective units / units produced × 100.'
          }
          error={fieldErrors.formula}
        >
          {(c) => (
            <textarea
              {...c}
              aria-describedby={values.fedBy === 'formula' ? [c['aria-describedby'], formulaCheckId].filter(Boolean).join(' ') : c['aria-describedby']}
              value={values.formula}
              maxLength={1000}
              rows={2}
              spellCheck={values.fedBy !== 'formula'}
              onChange={(e) => {
                set('formula', e.target.value);
                // The live check below speaks for the formula now; the last save's verdict on it is out of date.
                if (values.fedBy === 'formula' && fieldErrors.formula) setFieldErrors((errors) => withoutKey(errors, 'formula'));
              }}
            />
          )}
        </Field>
        {values.fedBy === 'formula' && (
          <FormulaChecker
            id={formulaCheckId}
            formula={values.formula}
            kpiKey={values.key}
            frequency={values.frequency}
            valueType={values.valueType}
            fieldError={fieldErrors.formula}
          />
        )}
      </fieldset>

      <fieldset>
        <legend>Values</legend>
        <Field label="Unit" hint="e.g. %, EUR, hours, units/hour" error={fieldErrors.unit}>
          {(c) => <input {...c} value={values.unit} maxLength={32} onChange={(e) => set('unit', e.target.value)} />}
        </Field>
        <Field label="Value type" error={fieldErrors.valueType}>
          {(c) => (
            <select {...c} value={values.valueType} onChange={(e) => set('valueType', e.target.value as KpiFormValues['valueType'])}>
              {Object.entries(valueTypeWords).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Frequency" hint="One value per period of this length." error={fieldErrors.frequency}>
          {(c) => (
            <select {...c} value={values.frequency} onChange={(e) => set('frequency', e.target.value as KpiFormValues['frequency'])}>
              {Object.entries(frequencyWords).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Aggregation" hint={
            values.fedBy === 'events'
              ? "How a period's events make its value: their count, or the sum, average, minimum, maximum, median or last of their values."
              : 'How its values combine when a coarser period is read, e.g. monthly revenue per quarter: the sum.'
          } error={fieldErrors.aggregation}>
          {(c) => (
            <select {...c} value={values.aggregation} onChange={(e) => set('aggregation', e.target.value as KpiFormValues['aggregation'])}>
              {Object.entries(aggregationWords).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      <fieldset>
        <legend>Target</legend>
        <Field label="Comparator" error={fieldErrors['target.comparator']} hint={isBoolean ? 'A yes/no KPI is on target when it equals the target.' : undefined}>
          {(c) => (
            <select
              {...c}
              value={comparator}
              disabled={isBoolean}
              onChange={(e) => set('target.comparator', e.target.value as KpiFormValues['target.comparator'])}
            >
              {Object.entries(comparatorWords).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {used.has('target.value') &&
          (isBoolean ? (
            <Field label="Target value" error={fieldErrors['target.value']}>
              {(c) => (
                <select {...c} value={values['target.value'] === '0' ? '0' : '1'} onChange={(e) => set('target.value', e.target.value)}>
                  <option value="1">Yes</option>
                  <option value="0">No</option>
                </select>
              )}
            </Field>
          ) : (
            <Field label="Target value" required error={fieldErrors['target.value']}>
              {(c) => <input {...c} inputMode="decimal" value={values['target.value']} onChange={(e) => set('target.value', e.target.value)} />}
            </Field>
          ))}
        {used.has('target.low') && (
          <Field label="Low" required hint="On target from low to high, both included." error={fieldErrors['target.low']}>
            {(c) => <input {...c} inputMode="decimal" value={values['target.low']} onChange={(e) => set('target.low', e.target.value)} />}
          </Field>
        )}
        {used.has('target.high') && (
          <Field label="High" required error={fieldErrors['target.high']}>
            {(c) => <input {...c} inputMode="decimal" value={values['target.high']} onChange={(e) => set('target.high', e.target.value)} />}
          </Field>
        )}
        {!isBoolean && (
          <Field label="Warning" hint={warningHint(comparator)} error={fieldErrors['target.warning']}>
            {(c) => <input {...c} inputMode="decimal" value={values['target.warning']} onChange={(e) => set('target.warning', e.target.value)} />}
          </Field>
        )}
        {fieldErrors.target && (
          <p className="field-error" role="alert">
            {fieldErrors.target}
          </p>
        )}
      </fieldset>

      <fieldset>
        <legend>Ownership</legend>
        <Field label="Owner team" error={fieldErrors.ownerTeamId} hint={allowNoOwner ? undefined : 'You can choose the teams you belong to.'}>
          {(c) => (
            <select {...c} value={values.ownerTeamId} onChange={(e) => set('ownerTeamId', e.target.value)}>
              {allowNoOwner && <option value="">(no owner team: admins only)</option>}
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Tags" hint="Separated by commas, e.g. quality, manufacturing." error={fieldErrors.tags}>
          {(c) => <input {...c} value={values.tags} onChange={(e) => set('tags', e.target.value)} />}
        </Field>
      </fieldset>

      <div className="actions">
        <button type="submit" className="primary" disabled={pending} aria-busy={pending}>
          {pending ? 'Saving…' : kpi ? 'Save changes' : 'Create KPI'}
        </button>
      </div>
    </form>
  );
}

function warningHint(comparator: Comparator): string {
  switch (comparator) {
    case 'atLeast':
      return 'Optional. Below the target: values from the warning up to the target are at risk, lower ones off target.';
    case 'atMost':
      return 'Optional. Above the target: values above the target up to the warning are at risk.';
    case 'greaterThan':
      return 'Optional. Below the target: values from the warning up to the target, the target included, are at risk.';
    case 'lessThan':
      return 'Optional. Above the target: values from the target, included, up to the warning are at risk.';
    case 'between':
      return 'Optional. Outside low–high: its distance to the range is the at-risk band on both sides.';
    case 'equals':
      return 'Optional. Its distance to the target is the at-risk band on both sides.';
  }
}

function withoutKey(errors: Record<string, string>, key: string): Record<string, string> {
  const rest = { ...errors };
  delete rest[key];
  return rest;
}
