import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { SuggestInput } from '@/components/ui/suggest-input';
import type { CreatedWebhook, WebhookEventType, WebhookFormat, WebhookStatusFilter } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { eventTypes, eventTypeWords, statusFilters, statusFilterWords } from '@/lib/events';
import { type Problem, problemOf, problemToFormErrors } from '@/lib/problem';

import { useCreateWebhook } from '../api/webhooks';
import { ShowSecret } from './show-secret';

interface Draft {
  name: string;
  url: string;
  format: WebhookFormat;
  eventTypes: WebhookEventType[];
  teamIds: string[];
  kpiKeys: string;
  statuses: WebhookStatusFilter[];
}

const empty: Draft = { name: '', url: '', format: 'standard', eventTypes: ['kpi.status.changed'], teamIds: [], kpiKeys: '', statuses: [] };
const fields = ['name', 'url', 'format', 'eventTypes', 'teamIds', 'kpiKeys', 'statuses'] as const;

const formats: { format: WebhookFormat; words: string }[] = [
  { format: 'standard', words: 'Standard Webhooks: the event as JSON, signed — for your own code' },
  { format: 'slack', words: 'Slack incoming webhook: a sentence with a link back' },
  { format: 'teams', words: 'Microsoft Teams workflow webhook: an Adaptive Card' },
];

/**
 * A new webhook: where to, in which format, for which events, filtered by teams, KPI keys and statuses (left empty:
 * any). The secret is shown once. `teams` are those the person may filter on (an editor's own; an admin's all), and an
 * editor must pick one: their webhooks hear only about their teams.
 */
export function CreateWebhookForm({ teams, teamRequired, kpiKeys }: { teams: { id: string; name: string }[]; teamRequired: boolean; kpiKeys: string[] }) {
  const draft = useDraft<Draft>('create-webhook', empty);
  const create = useCreateWebhook();
  const [problem, setProblem] = useState<Problem>();
  const [created, setCreated] = useState<CreatedWebhook>();
  const d = draft.value;
  const errors = problem?.status === 400 ? problemToFormErrors(problem, fields) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const keys = d.kpiKeys.split(',').map((k) => k.trim()).filter(Boolean);
    create.mutate(
      {
        name: d.name.trim(),
        url: d.url.trim(),
        format: d.format,
        eventTypes: d.eventTypes,
        teamIds: d.teamIds.length > 0 ? d.teamIds : null,
        kpiKeys: keys.length > 0 ? keys : null,
        statuses: d.statuses.length > 0 ? d.statuses : null,
      },
      {
        onSuccess: (answer) => {
          setCreated(answer);
          draft.clear(empty);
        },
        onError: (e) => setProblem(problemOf(e)),
      },
    );
  };

  function toggle<K extends 'eventTypes' | 'teamIds' | 'statuses'>(field: K, item: Draft[K][number], on: boolean) {
    draft.setValue((x) => {
      const list = x[field] as Draft[K][number][];
      return { ...x, [field]: on ? [...list, item] : list.filter((i) => i !== item) };
    });
  }

  const groupError = (field: 'eventTypes' | 'teamIds' | 'statuses') =>
    errors?.fields[field] && (
      <p className="field-error" id={`webhook-${field}-error`}>
        {errors.fields[field]}
      </p>
    );
  const describedBy = (field: 'eventTypes' | 'teamIds' | 'statuses') => (errors?.fields[field] ? `webhook-${field}-error` : undefined);

  return (
    <>
      {created && <ShowSecret name={created.webhook.name} secret={created.secret} onDone={() => setCreated(undefined)} />}
      <form className="webhook-form" onSubmit={submit} noValidate aria-labelledby="new-webhook-title">
        <h2 id="new-webhook-title">New webhook</h2>
        <p className="help">
          Sends events to another system as they happen: your own receiver, a Slack channel or a Teams channel. Deliveries are signed, retried and logged.
        </p>
        {problem && (problem.status !== 400 || (errors && errors.other.length > 0)) && (
          <ProblemAlert messages={problem.status === 400 ? errors!.other : undefined} problem={problem.status === 400 ? undefined : problem} />
        )}
        <Field label="Name" required hint="What it is for, e.g. Quality alerts in Slack." error={errors?.fields.name}>
          {(c) => <input {...c} value={d.name} maxLength={200} onChange={(e) => draft.setValue((x) => ({ ...x, name: e.target.value }))} />}
        </Field>
        <Field label="URL" required hint="The receiver's https address (Slack and Teams give you one when you add an incoming webhook)." error={errors?.fields.url}>
          {(c) => (
            <input {...c} type="url" inputMode="url" value={d.url} maxLength={2000} spellCheck={false} onChange={(e) => draft.setValue((x) => ({ ...x, url: e.target.value }))} />
          )}
        </Field>
        <fieldset aria-describedby={errors?.fields.format ? 'webhook-format-error' : undefined}>
          <legend>Format</legend>
          {formats.map(({ format, words }) => (
            <label key={format} className="check">
              <input type="radio" name="webhook-format" checked={d.format === format} onChange={() => draft.setValue((x) => ({ ...x, format }))} />
              {words}
            </label>
          ))}
          {errors?.fields.format && (
            <p className="field-error" id="webhook-format-error">
              {errors.fields.format}
            </p>
          )}
        </fieldset>
        <fieldset aria-describedby={describedBy('eventTypes')}>
          <legend>Events (at least one)</legend>
          {eventTypes.map((type) => (
            <label key={type} className="check">
              <input type="checkbox" checked={d.eventTypes.includes(type)} onChange={(e) => toggle('eventTypes', type, e.target.checked)} />
              {eventTypeWords[type]} <code className="muted">{type}</code>
            </label>
          ))}
          {groupError('eventTypes')}
        </fieldset>
        <fieldset aria-describedby={describedBy('teamIds')}>
          <legend>{teamRequired ? 'Teams (pick at least one of yours)' : 'Teams (none ticked: any team)'}</legend>
          {teams.map((team) => (
            <label key={team.id} className="check">
              <input type="checkbox" checked={d.teamIds.includes(team.id)} onChange={(e) => toggle('teamIds', team.id, e.target.checked)} />
              {team.name}
            </label>
          ))}
          {groupError('teamIds')}
        </fieldset>
        <Field label="KPI keys" hint="Optional: comma-separated keys; empty means any KPI." error={errors?.fields.kpiKeys}>
          {(c) => <SuggestInput {...c} listId="webhook-kpis" suggestions={kpiKeys} value={d.kpiKeys} onValue={(kpiKeys) => draft.setValue((x) => ({ ...x, kpiKeys }))} />}
        </Field>
        <fieldset aria-describedby={describedBy('statuses')}>
          <legend>Statuses (none ticked: any)</legend>
          {statusFilters.map((status) => (
            <label key={status} className="check">
              <input type="checkbox" checked={d.statuses.includes(status)} onChange={(e) => toggle('statuses', status, e.target.checked)} />
              {statusFilterWords[status]}
            </label>
          ))}
          {groupError('statuses')}
        </fieldset>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create webhook
        </button>
      </form>
    </>
  );
}
