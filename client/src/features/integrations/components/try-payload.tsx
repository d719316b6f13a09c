import { type FormEvent, useState } from 'react';

import { Field } from '@/components/ui/field';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { ReceiverTryResult } from '@/lib/api/types';
import { useDraft } from '@/lib/drafts';
import { formatDateTime, formatNumber } from '@/lib/format';
import { type Problem, problemOf } from '@/lib/problem';

import { useTryPayload } from '../api/integrations';
import { DeliveryOutcome } from './delivery-outcome';

/** Paste a payload and see what the receiver would record: nothing is recorded and no delivery is logged. */
export function TryPayload({ receiverId }: { receiverId: string }) {
  const draft = useDraft<{ payload: string }>(`try-payload:${receiverId}`, { payload: '' });
  const tryIt = useTryPayload(receiverId);
  const [result, setResult] = useState<ReceiverTryResult>();
  const [problem, setProblem] = useState<Problem>();
  const [jsonError, setJsonError] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setResult(undefined);
    setProblem(undefined);
    setJsonError(undefined);
    let payload: unknown;
    try {
      payload = JSON.parse(draft.value.payload);
    } catch (e) {
      setJsonError(`This is not JSON: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    tryIt.mutate(payload, { onSuccess: setResult, onError: (e) => setProblem(problemOf(e)) });
  };

  return (
    <form className="try-payload" onSubmit={submit} noValidate aria-labelledby="try-payload-title">
      <h2 id="try-payload-title">Try a payload</h2>
      <Field label="Payload (JSON)" hint="Paste what the provider sends. Nothing is recorded and the delivery log is not touched." error={jsonError}>
        {(c) => (
          <textarea
            {...c}
            className="mono"
            rows={10}
            spellCheck={false}
            value={draft.value.payload}
            onChange={(e) => draft.setValue({ payload: e.target.value })}
          />
        )}
      </Field>
      <button type="submit" disabled={tryIt.isPending || draft.value.payload.trim() === ''}>
        Try it
      </button>
      {problem && (
        <ProblemAlert
          problem={problem}
          messages={problem.status === 422 ? [`It would fail: ${problem.detail ?? problem.title ?? 'the payload could not be read.'}`] : undefined}
        />
      )}
      <div role="status">{result && <TryResult result={result} />}</div>
    </form>
  );
}

function TryResult({ result }: { result: ReceiverTryResult }) {
  return (
    <section className="try-result" aria-label="What it would record">
      <p>
        <DeliveryOutcome outcome={result.outcome} />{' '}
        {result.events.length === 0 ? 'It would record no event.' : `It would record ${result.events.length} ${result.events.length === 1 ? 'event' : 'events'}.`}
        {result.reason && <span className="muted"> {result.reason}</span>}
      </p>
      {result.events.length > 0 && (
        <table className="try-events">
          <caption className="visually-hidden">Events it would record</caption>
          <thead>
            <tr>
              <th scope="col">KPI</th>
              <th scope="col">Occurred</th>
              <th scope="col">Value</th>
              <th scope="col">Event id</th>
            </tr>
          </thead>
          <tbody>
            {result.events.map((e, i) => (
              <tr key={i}>
                <td>{e.kpi}</td>
                <td>{e.occurredAt ? formatDateTime(e.occurredAt) : 'when received'}</td>
                <td>{e.value === null ? '1 (counted)' : formatNumber(e.value)}</td>
                <td>{e.eventId ?? <span className="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
