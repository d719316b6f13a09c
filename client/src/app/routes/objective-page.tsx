import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { HealthBadge, StaleFlag } from '@/components/ui/health-badge';
import { ModalDialog } from '@/components/ui/modal-dialog';
import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { ProgressBar } from '@/components/ui/progress-bar';
import { FollowButton } from '@/features/alerts/components/follow-button';
import { kpiKeysQueryOptions } from '@/features/kpis/api/kpis';
import { dashboardRowsQueryOptions } from '@/features/measurements/api/dashboard';
import { DashboardTable } from '@/features/measurements/components/dashboard-table';
import { cyclesQueryOptions } from '@/features/okrs/api/cycles';
import { childrenQueryOptions, objectiveQueryOptions, useDeleteKeyResult, useDeleteObjective } from '@/features/okrs/api/objectives';
import { CarryOverForm } from '@/features/okrs/components/carry-over-form';
import { CheckInForm, checkInDraftKey } from '@/features/okrs/components/check-in-form';
import { CheckInHistory } from '@/features/okrs/components/check-in-history';
import { KeyResultProgress } from '@/features/okrs/components/key-result-progress';
import { Initiatives } from '@/features/okrs/components/initiatives';
import { KeyResultForm, keyResultTypeWords } from '@/features/okrs/components/key-result-form';
import { ScoreForm } from '@/features/okrs/components/score-form';
import { sessionQueryOptions } from '@/features/session/api/session';
import type { KeyResult, Objective } from '@/lib/api/types';
import { dropDraft, hasDraft } from '@/lib/drafts';
import { changeText, currentAndTarget, feedText, progressText, timeframeText } from '@/lib/okr-health';
import { canWriteKeyResult, canWriteObjective } from '@/lib/permissions';
import { type Problem, problemOf } from '@/lib/problem';

import { objectiveRoute } from '../router';
import { OwnerName } from './owner-name';

const statusWords = { draft: 'Draft', active: 'Active', closed: 'Closed', archived: 'Archived' } as const;

/** S6: one objective with its key results (check-ins, initiatives), linked KPIs, parent and aligned children. */
export function ObjectivePage() {
  const { objectiveId } = objectiveRoute.useParams();
  const navigate = useNavigate();
  const session = useQuery(sessionQueryOptions);
  const objective = useQuery(objectiveQueryOptions(objectiveId));
  const cycles = useQuery(cyclesQueryOptions);
  const [message, setMessage] = useState('');
  const [checkInFor, setCheckInFor] = useState<string>();
  const [editing, setEditing] = useState<string>(); // a key result's id, or 'new'
  const [dialog, setDialog] = useState<'delete' | 'carry'>();
  const [problem, setProblem] = useState<Problem>();
  const remove = useDeleteObjective();
  const restored = useRef(false);
  usePageTitle(objective.data?.title ?? 'Objective');

  // A check-in typed before a session ended (and the trip through sign-in) opens again with its draft.
  useEffect(() => {
    if (restored.current || !objective.data) return;
    restored.current = true;
    const waiting = objective.data.keyResults.find((kr) => hasDraft(checkInDraftKey(kr.id)));
    if (waiting) setCheckInFor(waiting.id);
  }, [objective.data]);

  const closeCheckIn = useCallback(() => {
    setCheckInFor((id) => {
      if (id) dropDraft(checkInDraftKey(id));
      return undefined;
    });
  }, []);
  const closeDialog = useCallback(() => setDialog(undefined), []);

  if (objective.isPending) return <Loading what="the objective" />;
  if (objective.isError) return <ProblemAlert problem={problemOf(objective.error)} />;
  const o = objective.data;
  const user = session.data?.user;
  const cycle = cycles.data?.find((c) => c.id === o.cycleId);
  const closed = cycle?.status === 'closed';
  const writable = canWriteObjective(user, o);
  const checkingIn = o.keyResults.find((kr) => kr.id === checkInFor);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/okrs" search={{ cycle: o.cycleId }}>
          OKRs{cycle ? ` · ${cycle.name}` : ''}
        </Link>{' '}
        › Objective
      </p>
      <div className="page-head">
        <h1>{o.title}</h1>
        <span className="badges">
          <HealthBadge health={o.health} />
          <StaleFlag stale={o.stale} />
        </span>
      </div>
      <p role="status" className="announce">
        {message}
      </p>
      {problem && <ProblemAlert problem={problem} />}
      <p className="objective-meta">
        <span>
          Owner: <OwnerName ownerTeamId={o.ownerTeamId} ownerUserId={o.ownerUserId} />
        </span>
        <span>Cycle: {cycle ? `${cycle.name} (${cycle.startDate} – ${cycle.endDate}, ${cycle.status})` : '…'}</span>
        <span>Status: {statusWords[o.status]}</span>
        {o.score !== null && (
          <span>
            Score: {o.score}
            {o.scoreNote ? ` (${o.scoreNote})` : ''}
          </span>
        )}
      </p>
      {o.description && <p>{o.description}</p>}
      <ProgressBar progress={o.progress} expected={o.expectedProgress} label={`Progress of ${o.title}`} />
      <div className="actions">
        <FollowButton subject={{ type: 'objective', id: o.id }} name={o.title} onChanged={setMessage} />
        {writable && (
          <>
            {!closed && (
              <>
                <Link to="/objectives/$objectiveId/edit" params={{ objectiveId: o.id }} className="button">
                  Edit objective
                </Link>
                <button type="button" onClick={() => setEditing('new')}>
                  Add key result
                </button>
              </>
            )}
            <button type="button" onClick={() => setDialog('carry')}>
              Carry over
            </button>
            {!closed && (
              <button type="button" className="danger" onClick={() => setDialog('delete')}>
                Delete objective
              </button>
            )}
          </>
        )}
      </div>
      {writable && closed && <ScoreForm objective={o} onScored={setMessage} />}

      <Alignment objective={o} />

      <h2>Key results</h2>
      {editing === 'new' && (
        <NewKeyResult
          objectiveId={o.id}
          onSaved={(kr) => {
            setEditing(undefined);
            setMessage(`Key result “${kr.title}” added.`);
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {o.keyResults.length === 0 ? (
        <p>No key results yet{writable && !closed ? ': add two to five that say how you will know.' : '.'}</p>
      ) : (
        o.keyResults.map((kr) => (
          <KeyResultSection
            key={kr.id}
            objective={o}
            kr={kr}
            writable={canWriteKeyResult(user, o, kr) && !closed}
            editing={editing === kr.id}
            onEdit={() => setEditing(kr.id)}
            onEdited={(message) => {
              setEditing(undefined);
              if (message) setMessage(message);
            }}
            onCheckIn={() => setCheckInFor(kr.id)}
            onMessage={setMessage}
            onProblem={setProblem}
          />
        ))
      )}

      <section aria-label="Initiatives of the objective" className="objective-initiatives">
        <Initiatives owner={{ of: 'objective', id: o.id, title: o.title }} writable={writable && !closed} onChanged={setMessage} heading="h2" />
      </section>

      <LinkedKpis objective={o} />

      <ModalDialog open={checkingIn !== undefined} title={checkingIn ? `Check in on ${checkingIn.title}` : 'Check in'} onClose={closeCheckIn}>
        {checkingIn && (
          <CheckInForm
            kr={checkingIn}
            onCancel={closeCheckIn}
            onDone={(text) => {
              setMessage(text);
              closeCheckIn();
            }}
          />
        )}
      </ModalDialog>
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete ${o.title}?`}
        confirmLabel="Delete objective"
        danger
        busy={remove.isPending}
        onClose={closeDialog}
        onConfirm={() =>
          remove.mutate(o, {
            onSuccess: () => void navigate({ to: '/okrs', search: { cycle: o.cycleId } }),
            onError: (e) => {
              setDialog(undefined);
              setProblem(problemOf(e));
            },
          })
        }
      >
        <p>
          {o.keyResults.length > 0
            ? `Its ${o.keyResults.length} key result${o.keyResults.length === 1 ? '' : 's'}, their check-ins and initiatives go with it.`
            : 'It has no key results.'}{' '}
          This cannot be undone.
        </p>
      </ConfirmDialog>
      <ModalDialog open={dialog === 'carry'} title={`Carry over ${o.title}`} onClose={closeDialog}>
        <CarryOverForm
          objective={o}
          cycles={cycles.data ?? []}
          onCancel={closeDialog}
          onDone={(copy) => void navigate({ to: '/objectives/$objectiveId', params: { objectiveId: copy.id } })}
        />
      </ModalDialog>
    </>
  );
}

function NewKeyResult({ objectiveId, onSaved, onCancel }: { objectiveId: string; onSaved: (kr: KeyResult) => void; onCancel: () => void }) {
  const kpis = useQuery(kpiKeysQueryOptions);
  return (
    <section className="key-result-section" aria-labelledby="new-kr">
      <h3 id="new-kr">New key result</h3>
      <KeyResultForm objectiveId={objectiveId} kpis={(kpis.data ?? []).filter((k) => k.status === 'active')} onSaved={onSaved} onCancel={onCancel} />
    </section>
  );
}

function KeyResultSection({
  objective,
  kr,
  writable,
  editing,
  onEdit,
  onEdited,
  onCheckIn,
  onMessage,
  onProblem,
}: {
  objective: Objective;
  kr: KeyResult;
  writable: boolean;
  editing: boolean;
  onEdit: () => void;
  onEdited: (message?: string) => void;
  onCheckIn: () => void;
  onMessage: (message: string) => void;
  onProblem: (problem: Problem) => void;
}) {
  const kpis = useQuery({ ...kpiKeysQueryOptions, enabled: editing });
  const remove = useDeleteKeyResult();
  const [confirm, setConfirm] = useState(false);
  const byKpi = kr.currentValueSource === 'kpi' || kr.kpiKey !== null;
  const headingId = `kr-${kr.id}`;
  return (
    <section className="key-result-section" aria-labelledby={headingId} data-key-result={kr.title}>
      <div className="key-result-head">
        <h3 id={headingId}>{kr.title}</h3>
        <span className="badges">
          <HealthBadge health={kr.health} />
          <StaleFlag stale={kr.stale} />
        </span>
      </div>
      <KeyResultProgress kr={kr} />
      <p className="key-result-values">
        <span>{currentAndTarget(kr)}</span> · <span>{keyResultTypeWords[kr.type]}</span> · <span>weight {kr.weight}</span> ·{' '}
        {byKpi && kr.kpiKey ? (
          <span>
            fed by KPI{' '}
            <Link to="/kpis/$key" params={{ key: kr.kpiKey }}>
              {kr.kpiKey}
            </Link>
          </span>
        ) : (
          <span>{feedText(kr)}</span>
        )}
        {kr.finalValue !== null && <span> · final value frozen at close</span>}
      </p>
      {(changeText(kr) || timeframeText(kr)) && (
        <p className="key-result-values muted small">
          {changeText(kr) && <span>Declared as {changeText(kr)}</span>}
          {changeText(kr) && timeframeText(kr) && ' · '}
          {timeframeText(kr) && <span>Timeframe: {timeframeText(kr)}</span>}
          {kr.timeframeReason && <span> ({kr.timeframeReason})</span>}
        </p>
      )}
      {writable && !editing && (
        <div className="actions">
          <button type="button" className="primary" onClick={onCheckIn} aria-label={`Check in on ${kr.title}`}>
            Check in
          </button>
          <button type="button" onClick={onEdit} aria-label={`Edit ${kr.title}`}>
            Edit
          </button>
          <button type="button" className="danger" onClick={() => setConfirm(true)} aria-label={`Delete ${kr.title}`}>
            Delete
          </button>
        </div>
      )}
      {editing && (
        <KeyResultForm
          objectiveId={objective.id}
          kr={kr}
          kpis={(kpis.data ?? []).filter((k) => k.status === 'active' || k.key === kr.kpiKey)}
          onSaved={(saved) => onEdited(`Key result “${saved.title}” saved.`)}
          onCancel={() => onEdited()}
        />
      )}
      <details className="history" open>
        <summary>Check-in history</summary>
        <CheckInHistory kr={kr} />
      </details>
      <Initiatives owner={{ of: 'keyResult', id: kr.id, title: kr.title }} writable={writable} onChanged={onMessage} />
      <ConfirmDialog
        open={confirm}
        title={`Delete ${kr.title}?`}
        confirmLabel="Delete key result"
        danger
        busy={remove.isPending}
        onClose={() => setConfirm(false)}
        onConfirm={() =>
          // The promise, not mutate's callbacks: the section unmounts once the key result is gone, and the parent
          // still has to say so.
          remove
            .mutateAsync({ keyResultId: kr.id, version: kr.version })
            .then(
              () => onMessage(`Key result “${kr.title}” deleted.`),
              (e: unknown) => onProblem(problemOf(e)),
            )
            .finally(() => setConfirm(false))
        }
      >
        <p>Its check-ins and initiatives go with it. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

function Alignment({ objective }: { objective: Objective }) {
  const parent = useQuery({ ...objectiveQueryOptions(objective.parentObjectiveId ?? ''), enabled: objective.parentObjectiveId !== null });
  const children = useQuery(childrenQueryOptions(objective.id));
  return (
    <div className="two-columns">
      <div>
        <h2>Aligned to</h2>
        {objective.parentObjectiveId === null ? (
          <p className="muted">Nothing: a top objective.</p>
        ) : parent.data ? (
          <p>
            <Link to="/objectives/$objectiveId" params={{ objectiveId: parent.data.id }}>
              {parent.data.title}
            </Link>{' '}
            <span className="muted">({progressText(parent.data.progress, parent.data.expectedProgress)})</span>
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </div>
      <div>
        <h2>Aligned to this</h2>
        {children.data && children.data.items.length > 0 ? (
          <ul>
            {children.data.items.map((c) => (
              <li key={c.id}>
                <Link to="/objectives/$objectiveId" params={{ objectiveId: c.id }}>
                  {c.title}
                </Link>{' '}
                <HealthBadge health={c.health} /> <span className="muted">{progressText(c.progress, c.expectedProgress)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{children.isPending ? 'Loading…' : 'No objective aligns to this one yet.'}</p>
        )}
      </div>
    </div>
  );
}

/** The KPIs the objective watches and those feeding its key results, with status and sparkline as on the dashboard. */
function LinkedKpis({ objective }: { objective: Objective }) {
  const keys = [...new Set([...objective.kpis.map((k) => k.key), ...objective.keyResults.flatMap((kr) => (kr.kpiKey ? [kr.kpiKey] : []))])];
  const rows = useQuery({ ...dashboardRowsQueryOptions(keys), enabled: keys.length > 0 });
  return (
    <section aria-labelledby="linked-kpis">
      <h2 id="linked-kpis">Linked KPIs</h2>
      {keys.length === 0 ? (
        <p className="muted">No KPI is linked.</p>
      ) : rows.isError ? (
        <ProblemAlert problem={problemOf(rows.error)} />
      ) : !rows.data ? (
        <Loading what="KPIs" />
      ) : (
        <DashboardTable items={rows.data} />
      )}
    </section>
  );
}
