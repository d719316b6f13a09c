import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, Fragment, useEffect, useState } from 'react';

import { Field } from '@/components/ui/field';
import { Loading } from '@/components/ui/page-title';
import { QueryPager } from '@/components/ui/pager';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { AuditEntry } from '@/lib/api/types';
import { formatDateTime } from '@/lib/format';
import { problemOf } from '@/lib/problem';

import { type AuditFilters, auditQueryOptions } from '../api/audit';

// Every entity the API writes audit entries for (the entity names its handlers pass to the audit log).
const entities = [
  'kpi', 'measurement', 'measurement-batch', 'measurement-import', 'event', 'event-batch', 'team', 'user', 'service-account', 'token',
  'session', 'cycle', 'objective', 'keyResult', 'checkIn', 'initiative', 'webhook', 'webhookDelivery', 'receiver',
];

/** Who did what when: newest first, filtered by who, what and when (the filters live in the URL). */
export function AuditLog({ filters, onFilter }: { filters: AuditFilters; onFilter: (filters: AuditFilters) => void }) {
  const entries = useInfiniteQuery(auditQueryOptions(filters));
  const [open, setOpen] = useState<string>();
  return (
    <>
      <AuditFilterForm value={filters} onApply={onFilter} />
      {entries.isPending ? (
        <Loading what="the audit log" />
      ) : entries.isError ? (
        <ProblemAlert problem={problemOf(entries.error)} />
      ) : (
        <>
          <table className="audit">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Action</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.data.pages
                .flatMap((p) => p.items)
                .map((e) => (
                  <Fragment key={e.id}>
                    <tr>
                      <td>{formatDateTime(e.at)}</td>
                      <td>
                        {e.actor} <span className="muted small">({e.actorKind})</span>
                      </td>
                      <td>
                        {e.entity} <code className="small">{e.entityId}</code>
                      </td>
                      <td>{e.action}</td>
                      <td>
                        {(e.before != null || e.after != null) && (
                          <button type="button" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? undefined : e.id)} aria-label={`Details of ${e.action} ${e.entity} at ${formatDateTime(e.at)}`}>
                            Details
                          </button>
                        )}
                      </td>
                    </tr>
                    {open === e.id && (
                      <tr>
                        <td colSpan={5}>
                          <AuditDetails entry={e} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
            </tbody>
          </table>
          <QueryPager query={entries} noun="entries" />
        </>
      )}
    </>
  );
}

function AuditDetails({ entry }: { entry: AuditEntry }) {
  return (
    <div className="audit-details">
      <div>
        <h3 id={`${entry.id}-before`}>Before</h3>
        {/* Focusable: a long entry scrolls, and keyboard users must be able to scroll it too. */}
        <pre tabIndex={0} aria-labelledby={`${entry.id}-before`}>
          {entry.before == null ? '–' : JSON.stringify(entry.before, null, 2)}
        </pre>
      </div>
      <div>
        <h3 id={`${entry.id}-after`}>After</h3>
        <pre tabIndex={0} aria-labelledby={`${entry.id}-after`}>
          {entry.after == null ? '–' : JSON.stringify(entry.after, null, 2)}
        </pre>
      </div>
    </div>
  );
}

function AuditFilterForm({ value, onApply }: { value: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const [draft, setDraft] = useState<AuditFilters>(value);
  useEffect(() => setDraft(value), [value]);
  const set = (key: keyof AuditFilters, v: string) => setDraft((d) => ({ ...d, [key]: v || undefined }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)) as AuditFilters);
  };
  return (
    <form role="search" className="filters" onSubmit={submit} aria-label="Filter the audit log">
      <Field label="Who" hint="Email, or token:<id>, or system">
        {(c) => <input {...c} value={draft.actor ?? ''} onChange={(e) => set('actor', e.target.value)} />}
      </Field>
      <Field label="What">
        {(c) => (
          <select {...c} value={draft.entity ?? ''} onChange={(e) => set('entity', e.target.value)}>
            <option value="">Anything</option>
            {entities.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Action" hint="e.g. create, update, retire, signIn">
        {(c) => <input {...c} value={draft.action ?? ''} onChange={(e) => set('action', e.target.value)} />}
      </Field>
      <Field label="From">
        {(c) => <input {...c} type="date" value={draft.from ?? ''} onChange={(e) => set('from', e.target.value)} />}
      </Field>
      <Field label="To">
        {(c) => <input {...c} type="date" value={draft.to ?? ''} onChange={(e) => set('to', e.target.value)} />}
      </Field>
      <div className="filter-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        {Object.values(value).some(Boolean) && (
          <button type="button" onClick={() => onApply({})}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
