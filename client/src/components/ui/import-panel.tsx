import { type FormEvent, type ReactNode, useId, useState } from 'react';

import { type ImportRequest, newIdempotencyKey } from '@/lib/api-client';
import { formatNumber } from '@/lib/format';
import { type Problem, problemOf } from '@/lib/problem';

import { ProblemAlert } from './problem-alert';

export interface ImportReport {
  committed: boolean;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errorCount: number;
  errors: { line: number; column: string; reason: string }[];
}

export type Upload = (request: ImportRequest) => Promise<ImportReport>;

export function contentTypeOf(file: File): string | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'application/x-ndjson';
  if (file.type === 'text/csv') return 'text/csv';
  return undefined;
}

/**
 * Upload a file in two steps: a dry run that checks every line and reports counts and the first errors (line and
 * column), then the import itself, atomic (all lines or none) and sent with an Idempotency-Key so that a retry can
 * never import twice.
 */
export function ImportPanel({ title, help, upload, disabled }: { title: string; help: ReactNode; upload: Upload; disabled?: boolean }) {
  const id = useId();
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<ImportReport>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState<'check' | 'import'>();
  const [key, setKey] = useState(newIdempotencyKey);
  const type = file ? contentTypeOf(file) : undefined;

  const run = async (dryRun: boolean) => {
    if (!file || !type) return;
    setBusy(dryRun ? 'check' : 'import');
    setProblem(undefined);
    try {
      setReport(await upload({ file, contentType: type, dryRun, idempotencyKey: dryRun ? undefined : key }));
    } catch (error) {
      setProblem(problemOf(error));
      setReport(undefined);
    } finally {
      setBusy(undefined);
    }
  };

  const check = (event: FormEvent) => {
    event.preventDefault();
    void run(true);
  };

  return (
    <section className="import-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="help">{help}</div>
      <form onSubmit={check}>
        <div className="field">
          <label htmlFor={`${id}-file`}>File (.csv or .ndjson)</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
            disabled={disabled}
            aria-describedby={file && !type ? `${id}-type` : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setReport(undefined);
              setProblem(undefined);
              setKey(newIdempotencyKey());
            }}
          />
          {file && !type && (
            <p className="field-error" id={`${id}-type`}>
              Name the file .csv or .ndjson so that its format is known.
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" disabled={disabled || !file || !type || busy !== undefined} aria-busy={busy === 'check'}>
            {busy === 'check' ? 'Checking…' : 'Check file (dry run)'}
          </button>
          <button
            type="button"
            className="primary"
            disabled={disabled || !file || !type || busy !== undefined || !report || !report.dryRun || report.rejected > 0}
            aria-busy={busy === 'import'}
            onClick={() => void run(false)}
          >
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      {problem && <ProblemAlert problem={problem} />}
      <div role="status" aria-live="polite">
        {report && <ImportReportView report={report} />}
      </div>
    </section>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  const verdict = report.dryRun
    ? report.rejected === 0
      ? `Check passed: all ${formatNumber(report.rows)} lines are valid. Import them when ready.`
      : `Check found ${formatNumber(report.errorCount)} error${report.errorCount === 1 ? '' : 's'} in ${formatNumber(report.rows)} lines; nothing would be imported. Fix the file and check it again.`
    : report.committed
      ? `Imported: ${formatNumber(report.rows)} lines.`
      : `Nothing was imported: ${formatNumber(report.errorCount)} error${report.errorCount === 1 ? '' : 's'}.`;
  return (
    <div className={`import-report ${report.rejected > 0 ? 'has-errors' : ''}`}>
      <p>
        <strong>{verdict}</strong>
      </p>
      <dl className="counts">
        {(['rows', 'created', 'updated', 'unchanged', 'rejected'] as const).map((k) => (
          <div key={k}>
            <dt>{k[0]!.toUpperCase() + k.slice(1)}</dt>
            <dd>{formatNumber(report[k])}</dd>
          </div>
        ))}
      </dl>
      {report.errors.length > 0 && (
        <table>
          <caption>
            {report.errors.length < report.errorCount ? `First ${report.errors.length} of ${formatNumber(report.errorCount)} errors` : 'Errors'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((e, i) => (
              <tr key={i}>
                <td className="num">{e.line}</td>
                <td>{e.column}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
