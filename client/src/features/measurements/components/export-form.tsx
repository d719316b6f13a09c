import { useState } from 'react';

import { Field } from '@/components/ui/field';
import { SuggestInput } from '@/components/ui/suggest-input';

import { exportUrl } from '../api/measurements';

/** Export in exactly the import format, filtered by KPI keys and a period range; a plain download link. */
export function ExportForm({ kpiKeys }: { kpiKeys: string[] }) {
  const [kpis, setKpis] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [format, setFormat] = useState<'csv' | 'ndjson'>('csv');
  const href = exportUrl({ kpis: kpis.split(',').map((k) => k.trim()).filter(Boolean).join(','), from, to, format });
  return (
    <section aria-labelledby="export-title" className="export">
      <h2 id="export-title">Export measurements</h2>
      <p className="help">The file has the import's columns, so it can be edited and imported again.</p>
      <div className="row">
        <Field label="KPI keys" hint="Comma-separated; empty for all KPIs.">
          {(c) => <SuggestInput {...c} listId="export-kpis" suggestions={kpiKeys} value={kpis} onValue={setKpis} />}
        </Field>
        <Field label="From" hint="A date or instant; empty for the beginning.">
          {(c) => <input {...c} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="To" hint="Inclusive; empty for the latest.">
          {(c) => <input {...c} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <Field label="Format">
          {(c) => (
            <select {...c} value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'ndjson')}>
              <option value="csv">CSV</option>
              <option value="ndjson">NDJSON</option>
            </select>
          )}
        </Field>
      </div>
      <a className="button" href={href} download>
        Download {format === 'csv' ? 'CSV' : 'NDJSON'}
      </a>
    </section>
  );
}
