import type { Kpi } from '@/lib/api/types';
import { formatTarget, formatWarning, frequencyWords, valueTypeWords } from '@/lib/format';

/** What the KPI is: the definition as its owner wrote it. */
export function KpiDefinition({ kpi, ownerTeam }: { kpi: Kpi; ownerTeam: string }) {
  const warning = formatWarning(kpi.target, kpi.unit);
  return (
    <dl className="definition">
      <div>
        <dt>Key</dt>
        <dd>
          <code>{kpi.key}</code>
        </dd>
      </div>
      {kpi.description && (
        <div className="wide">
          <dt>Description</dt>
          <dd>{kpi.description}</dd>
        </div>
      )}
      <div className="wide">
        <dt>Formula</dt>
        <dd>{kpi.formula || '–'}</dd>
      </div>
      <div>
        <dt>Target</dt>
        <dd>
          {formatTarget(kpi.target, kpi.valueType, kpi.unit)}
          {warning && <span className="muted"> ({warning})</span>}
        </dd>
      </div>
      <div>
        <dt>Unit</dt>
        <dd>{kpi.unit || '–'}</dd>
      </div>
      <div>
        <dt>Value type</dt>
        <dd>{valueTypeWords[kpi.valueType]}</dd>
      </div>
      <div>
        <dt>Frequency</dt>
        <dd>{frequencyWords[kpi.frequency]}</dd>
      </div>
      <div>
        <dt>Owner</dt>
        <dd>{ownerTeam || 'No owner team (admins)'}</dd>
      </div>
      <div>
        <dt>Tags</dt>
        <dd>{kpi.tags.length ? kpi.tags.map((t) => <span key={t} className="tag">{t}</span>) : '–'}</dd>
      </div>
      <div>
        <dt>State</dt>
        <dd>{kpi.status === 'retired' ? 'Retired: no new values, history kept' : 'Active'}</dd>
      </div>
    </dl>
  );
}
