import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import type { Frequency, ValueType } from '@/lib/api/types';
import { frequencyWords } from '@/lib/format';

import { type FormulaCheck, formulaCheckQueryOptions } from '../api/kpis';

/** How long typing must pause before the formula is checked. */
export const formulaCheckDelayMs = 300;

/**
 * Checks the formula being typed against the server (debounced) and shows what it found under the field: the KPIs
 * the formula references and, when it could not be saved, the problem with a caret at its character. `id` is the
 * element the formula field names in aria-describedby.
 */
export function FormulaChecker({
  id,
  formula,
  kpiKey,
  frequency,
  valueType,
  fieldError,
}: {
  id: string;
  formula: string;
  kpiKey: string;
  frequency: Frequency;
  valueType: ValueType;
  /** The formula's error from the last save, shown by the field itself: not repeated here. */
  fieldError?: string;
}) {
  const body = useDebounced({ formula, key: kpiKey.trim() || null, frequency, valueType }, formulaCheckDelayMs);
  const check = useQuery({ ...formulaCheckQueryOptions(body), enabled: body.formula.trim() !== '' });
  if (formula.trim() === '' || !check.data) return <FormulaCheckView id={id} formula={formula} />;
  // An answer for an older text would point its caret at the wrong character: the caret waits for the current one.
  const current = !check.isPlaceholderData && body.formula === formula;
  return <FormulaCheckView id={id} formula={formula} check={check.data} current={current} fieldError={fieldError} />;
}

/** The check's answer as the form shows it; the problem is announced politely as it changes. */
export function FormulaCheckView({
  id,
  formula,
  check,
  current = true,
  fieldError,
}: {
  id: string;
  formula: string;
  check?: FormulaCheck;
  /** Whether `check` answers `formula` as it is now (else it is the last answer, shown while the next one comes). */
  current?: boolean;
  fieldError?: string;
}) {
  const references = check?.references ?? [];
  const message = check?.problem && check.problem.message !== fieldError ? check.problem.message : undefined;
  return (
    <div className="formula-check" id={id}>
      <p aria-live="polite" className={message ? 'field-error' : 'hint'}>
        {message ? (
          <>
            <span aria-hidden="true">✕ </span>
            {message}
          </>
        ) : check?.valid ? (
          <>
            <span aria-hidden="true">✓ </span>
            The formula is valid.
          </>
        ) : null}
      </p>
      {current && check?.problem?.position != null && (
        // The message says where in words; this is the picture of it.
        <pre className="formula-mark" aria-hidden="true" data-position={check.problem.position}>
          {caretLines(formula, check.problem.position)}
        </pre>
      )}
      {references.length > 0 && (
        <>
          <p className="hint" id={`${id}-reads`}>
            Reads {references.length === 1 ? 'this KPI' : `these ${references.length} KPIs`}:
          </p>
          <ul className="formula-references" aria-labelledby={`${id}-reads`}>
            {references.map((r) => (
              <li key={r.key} className={r.exists ? undefined : 'missing'}>
                {r.exists ? (
                  <>
                    <span aria-hidden="true">✓ </span>
                    <strong>{r.name}</strong> <code>{r.key}</code>
                    {r.frequency && ` · ${frequencyWords[r.frequency].toLowerCase()}`}
                    {r.unit && ` · ${r.unit}`}
                  </>
                ) : (
                  <>
                    <span aria-hidden="true">✕ </span>
                    <code>{r.key}</code>: no KPI has this key
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * The formula's line that holds the 1-based character `position`, and under it a caret at that character; a
 * formula of several lines shows only that line, so the caret stays under it.
 */
export function caretLines(formula: string, position: number): string {
  const index = Math.min(Math.max(position - 1, 0), formula.length);
  const lineStart = formula.lastIndexOf('\n', index - 1) + 1;
  const lineEnd = formula.indexOf('\n', index);
  const line = formula.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return `${line}\n${' '.repeat(index - lineStart)}^`;
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  const text = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(JSON.parse(text) as T), delayMs);
    return () => clearTimeout(timer);
  }, [text, delayMs]);
  return debounced;
}
