import { Link } from '@tanstack/react-router';

import type { CycleEvaluation, OkrHealthCheck } from '@/lib/api/types';
import { keyResultValue, progressText } from '@/lib/okr-health';

/** What each health-check rule means, in a sentence; an unknown rule shows its id. */
export const ruleWords: Record<string, string> = {
  'owner-too-many-objectives': 'An owner has too many objectives',
  'objective-too-few-key-results': 'Objectives with too few key results',
  'objective-too-many-key-results': 'Objectives with too many key results',
  'objective-too-many-kpis': 'Objectives watching too many KPIs',
  'objective-alignment-too-deep': 'Alignment chains that are too deep',
  'key-result-no-measurable-target': 'Key results without a measurable target',
  'key-result-restates-kpi-target': 'Key results that only restate a KPI’s target',
  'key-result-stale': 'Stale key results',
  'objective-only-milestones': 'Objectives whose key results are all milestones (a task list, not outcomes)',
  'objective-not-aligned': 'Team objectives aligned to no company objective',
  'key-result-below-kpi-target': 'Key results that aim short of their KPI’s own target',
  'key-result-already-met': 'Key results their KPI already meets',
  'key-result-kpi-too-coarse': 'Key results fed by a KPI too coarse to move within them',
  'objective-kpi-double-counted': 'KPIs counted twice (health metric and key-result feed of one objective)',
  'key-result-implausible-jump': 'Key results aiming for an implausible jump',
};

/** S9's findings, grouped by rule, each linked to its objective (a key result's finding to the objective holding it). */
export function HealthFindings({ check, objectiveOf }: { check: OkrHealthCheck; objectiveOf: (keyResultId: string) => string | undefined }) {
  if (check.warnings.length === 0) return <p role="status">✓ No findings: every objective passes the health check.</p>;
  const groups = new Map<string, OkrHealthCheck['warnings']>();
  for (const w of check.warnings) groups.set(w.rule, [...(groups.get(w.rule) ?? []), w]);
  return (
    <>
      <p>
        {check.warnings.length} finding{check.warnings.length === 1 ? '' : 's'} in {check.objectiveCount} objectives.
      </p>
      {[...groups].map(([rule, warnings]) => (
        <section key={rule} aria-labelledby={`rule-${rule}`} className="finding-group" data-rule={rule}>
          <h3 id={`rule-${rule}`}>
            <span aria-hidden="true">▲ </span>
            {ruleWords[rule] ?? rule} <span className="muted small mono">{rule}</span>
          </h3>
          <ul>
            {warnings.map((w, i) => {
              const objectiveId = w.entity.type === 'objective' ? w.entity.id : w.entity.type === 'keyResult' ? objectiveOf(w.entity.id) : undefined;
              return (
                <li key={i}>
                  {objectiveId ? (
                    <Link to="/objectives/$objectiveId" params={{ objectiveId }}>
                      {w.entity.title}
                    </Link>
                  ) : (
                    <strong>{w.entity.title}</strong>
                  )}
                  : {w.message}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}

/** S9's evaluation: each objective's score (provisional until the cycle closes), its note, and the average. */
export function EvaluationTable({ evaluation }: { evaluation: CycleEvaluation }) {
  const state = evaluation.final ? 'final' : 'provisional';
  return (
    <>
      <p className="headline">
        Average score: <strong>{evaluation.averageScore === null || evaluation.averageScore === undefined ? '–' : evaluation.averageScore.toFixed(2)}</strong>{' '}
        <span className={`tag score-${state}`}>{evaluation.final ? '■ final' : '◔ provisional'}</span>
      </p>
      <table>
        <caption className="visually-hidden">Scores of {evaluation.cycle.name}</caption>
        <thead>
          <tr>
            <th scope="col">Objective</th>
            <th scope="col">Score</th>
            <th scope="col">Progress</th>
            <th scope="col">Key results</th>
          </tr>
        </thead>
        <tbody>
          {evaluation.objectives.map((o) => (
            <tr key={o.id} data-objective={o.title}>
              <th scope="row">
                <Link to="/objectives/$objectiveId" params={{ objectiveId: o.id }}>
                  {o.title}
                </Link>
              </th>
              <td>
                {o.score === null || o.score === undefined ? '–' : o.score.toFixed(2)} <span className="muted small">{o.provisional ? 'provisional' : 'final'}</span>
                {o.scoreNote && <p className="small">Note: {o.scoreNote}</p>}
              </td>
              <td>{progressText(o.progress, undefined)}</td>
              <td>
                <ul className="plain">
                  {o.keyResults.map((kr) => (
                    <li key={kr.id}>
                      {kr.title}: {keyResultValue(kr, kr.value)}
                      {kr.final ? ' (final)' : ''}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
