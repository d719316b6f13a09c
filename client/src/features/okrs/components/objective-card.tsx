import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';

import { HealthBadge, StaleFlag } from '@/components/ui/health-badge';
import { ProgressBar } from '@/components/ui/progress-bar';
import type { KeyResult, Objective } from '@/lib/api/types';
import { changeText, currentAndTarget, feedText, timeframeText } from '@/lib/okr-health';

import { KeyResultProgress } from './key-result-progress';

/** S5's card: title (a link), owner, health, the stale flag, the progress bar with the expected marker, the key results. */
export function ObjectiveCard({ objective, owner }: { objective: Objective; owner: ReactNode }) {
  return (
    <article className="objective-card" aria-labelledby={`objective-${objective.id}`} data-objective={objective.title}>
      <div className="objective-head">
        <h2 id={`objective-${objective.id}`}>
          <Link to="/objectives/$objectiveId" params={{ objectiveId: objective.id }}>
            {objective.title}
          </Link>
        </h2>
        <span className="badges">
          <HealthBadge health={objective.health} />
          <StaleFlag stale={objective.stale} />
          {objective.status === 'draft' && <span className="tag">draft</span>}
        </span>
      </div>
      <p className="muted small">Owner: {owner}</p>
      <ProgressBar progress={objective.progress} expected={objective.expectedProgress} label={`Progress of ${objective.title}`} />
      {objective.keyResults.length > 0 && (
        <ul className="key-results" aria-label={`Key results of ${objective.title}`}>
          {objective.keyResults.map((kr) => (
            <KeyResultLine key={kr.id} kr={kr} />
          ))}
        </ul>
      )}
    </article>
  );
}

export function KeyResultLine({ kr, children }: { kr: KeyResult; children?: ReactNode }) {
  const declared = changeText(kr);
  const timeframe = timeframeText(kr);
  return (
    <li className="key-result" data-key-result={kr.title}>
      <div className="key-result-head">
        <span className="key-result-title">{kr.title}</span>
        <span className="badges">
          <HealthBadge health={kr.health} />
          <StaleFlag stale={kr.stale} />
        </span>
      </div>
      <div className="key-result-body">
        <KeyResultProgress kr={kr} />
        <span className="key-result-values">{currentAndTarget(kr)}</span>
        <span className="muted small">{feedText(kr)}</span>
        {declared && <span className="muted small">declared {declared}</span>}
        {timeframe && <span className="muted small">{timeframe}</span>}
      </div>
      {children}
    </li>
  );
}
