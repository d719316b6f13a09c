import { type FormEvent, useEffect, useState } from 'react';

import { Field } from '@/components/ui/field';
import { SuggestInput } from '@/components/ui/suggest-input';
import { displayStatuses, statusInfo } from '@/lib/status';

import type { DashboardFilters as Filters } from '../api/dashboard';

/** Team, tag and status; applied with a button, so the URL (and reload, and sharing a link) keeps them. */
export function DashboardFilters({
  value,
  teams,
  tags,
  onApply,
}: {
  value: Filters;
  teams: { id: string; label: string }[];
  tags: string[];
  onApply: (filters: Filters) => void;
}) {
  const [team, setTeam] = useState(value.team ?? '');
  const [tag, setTag] = useState(value.tag ?? '');
  const [status, setStatus] = useState(value.status ?? '');
  useEffect(() => {
    setTeam(value.team ?? '');
    setTag(value.tag ?? '');
    setStatus(value.status ?? '');
  }, [value.team, value.tag, value.status]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ team: team || undefined, tag: tag.trim() || undefined, status: status || undefined });
  };
  const active = Boolean(value.team || value.tag || value.status);
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter KPIs" role="search">
      <Field label="Team">
        {(c) => (
          <select {...c} name="team" value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">All teams</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Tag">
        {(c) => <SuggestInput {...c} name="tag" listId="dashboard-tags" suggestions={tags} value={tag} onValue={setTag} />}
      </Field>
      <Field label="Status">
        {(c) => (
          <select {...c} name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any status</option>
            {displayStatuses.map((s) => (
              <option key={s} value={s}>
                {statusInfo[s].symbol} {statusInfo[s].word}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="filter-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        {active && (
          <button type="button" onClick={() => onApply({})}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
