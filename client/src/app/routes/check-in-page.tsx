import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type RefObject, useEffect, useRef, useState } from 'react';

import { HealthBadge, StaleFlag } from '@/components/ui/health-badge';
import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { myActiveOkrsQueryOptions } from '@/features/okrs/api/objectives';
import { CheckInForm, checkInDraftKey } from '@/features/okrs/components/check-in-form';
import { KeyResultProgress } from '@/features/okrs/components/key-result-progress';
import { sessionQueryOptions } from '@/features/session/api/session';
import type { KeyResult } from '@/lib/api/types';
import { dropDraft } from '@/lib/drafts';
import { dueThisWeek, keyResultValue } from '@/lib/okr-health';
import { problemOf } from '@/lib/problem';

interface Step {
  objectiveId: string;
  objectiveTitle: string;
  kr: KeyResult;
}

type Outcome = { kind: 'checkedIn'; text: string } | { kind: 'skipped' };

/**
 * The weekly check-in: every key result the person owns that had no check-in since Monday, one after another, then a
 * summary. The list is taken once when the page opens, so checking in does not reshuffle it.
 */
export function CheckInPage() {
  usePageTitle('Weekly check-in');
  const session = useQuery(sessionQueryOptions);
  const okrs = useQuery(myActiveOkrsQueryOptions);
  const [steps, setSteps] = useState<Step[]>();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  const user = session.data?.user;

  useEffect(() => {
    if (steps || !okrs.data || !user) return;
    const now = new Date();
    setSteps(
      okrs.data.flatMap((o) =>
        o.keyResults.filter((kr) => dueThisWeek(kr, user, now)).map((kr) => ({ objectiveId: o.id, objectiveTitle: o.title, kr })),
      ),
    );
  }, [okrs.data, user, steps]);

  const index = outcomes.length;
  useEffect(() => {
    if (index > 0) heading.current?.focus();
  }, [index]);

  if (okrs.isError) return <ProblemAlert problem={problemOf(okrs.error)} />;
  if (!steps) return <Loading what="your key results" />;

  const step = steps[index];
  return (
    <>
      <h1>Weekly check-in</h1>
      {steps.length === 0 ? (
        <p role="status">
          Nothing is due: every key result you own has a check-in this week. <Link to="/okrs">My OKRs</Link>
        </p>
      ) : step ? (
        <section aria-labelledby="step-heading" className="check-in-step">
          <p className="muted">
            Key result {index + 1} of {steps.length} · {step.objectiveTitle}
          </p>
          <h2 id="step-heading" ref={heading} tabIndex={-1}>
            {step.kr.title}
          </h2>
          <p className="badges">
            <HealthBadge health={step.kr.health} /> <StaleFlag stale={step.kr.stale} />{' '}
            <span className="muted small">
              last check-in {step.kr.lastCheckInAt ? new Date(step.kr.lastCheckInAt).toISOString().slice(0, 10) : 'never'}
            </span>
          </p>
          <KeyResultProgress kr={step.kr} />
          <CheckInForm
            key={step.kr.id}
            kr={step.kr}
            submitLabel={index + 1 < steps.length ? 'Check in and continue' : 'Check in and finish'}
            onDone={(text) => setOutcomes((o) => [...o, { kind: 'checkedIn', text }])}
          />
          <button
            type="button"
            className="link"
            onClick={() => {
              dropDraft(checkInDraftKey(step.kr.id));
              setOutcomes((o) => [...o, { kind: 'skipped' }]);
            }}
          >
            Skip this one
          </button>
        </section>
      ) : (
        <Summary steps={steps} outcomes={outcomes} heading={heading} />
      )}
    </>
  );
}

function Summary({ steps, outcomes, heading }: { steps: Step[]; outcomes: Outcome[]; heading: RefObject<HTMLHeadingElement | null> }) {
  const done = outcomes.filter((o) => o.kind === 'checkedIn').length;
  return (
    <section aria-labelledby="summary-heading">
      <h2 id="summary-heading" ref={heading} tabIndex={-1}>
        Done: {done} of {steps.length} checked in
      </h2>
      <p role="status">
        {done === steps.length ? 'Every key result due this week has its check-in.' : `${steps.length - done} skipped; they stay due this week.`}
      </p>
      <table>
        <caption className="visually-hidden">This week's check-ins</caption>
        <thead>
          <tr>
            <th scope="col">Key result</th>
            <th scope="col">Objective</th>
            <th scope="col">This week</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s, i) => {
            const outcome = outcomes[i];
            return (
              <tr key={s.kr.id}>
                <th scope="row">{s.kr.title}</th>
                <td>
                  <Link to="/objectives/$objectiveId" params={{ objectiveId: s.objectiveId }}>
                    {s.objectiveTitle}
                  </Link>
                </td>
                <td>{outcome?.kind === 'checkedIn' ? outcome.text : `Skipped (still ${keyResultValue(s.kr, s.kr.currentValue)})`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p>
        <Link to="/okrs">Back to my OKRs</Link>
      </p>
    </section>
  );
}
