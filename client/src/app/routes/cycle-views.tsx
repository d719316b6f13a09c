import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';

import { Loading, usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { cyclesQueryOptions } from '@/features/okrs/api/cycles';
import { alignmentQueryOptions, evaluationQueryOptions, healthCheckQueryOptions, matrixCsvUrl, matrixQueryOptions } from '@/features/okrs/api/cycle-views';
import { AlignmentTree } from '@/features/okrs/components/alignment-tree';
import { OkrKpiMatrixTable } from '@/features/okrs/components/okr-kpi-matrix';
import { EvaluationTable, HealthFindings } from '@/features/okrs/components/okr-review';
import { problemOf } from '@/lib/problem';

import { alignmentRoute, matrixRoute, reviewRoute } from '../router';
import { OwnerName } from './owner-name';

/** S7: the cycle's objectives under the ones they align to (enclosing cycles' included and marked). */
export function AlignmentPage() {
  const { cycleId } = alignmentRoute.useParams();
  const alignment = useQuery(alignmentQueryOptions(cycleId));
  const cycles = useQuery(cyclesQueryOptions);
  const name = alignment.data?.cycle.name;
  usePageTitle(name ? `Alignment · ${name}` : 'Alignment');
  const cycleNames = new Map((cycles.data ?? []).map((c) => [c.id, c.name]));
  return (
    <>
      <h1>Alignment{name ? ` · ${name}` : ''}</h1>
      {alignment.isPending ? (
        <Loading what="the alignment tree" />
      ) : alignment.isError ? (
        <ProblemAlert problem={problemOf(alignment.error)} />
      ) : alignment.data.nodes.length === 0 ? (
        <p role="status">No objectives in {name} yet.</p>
      ) : (
        <>
          <p className="muted" id="tree-help">
            {alignment.data.objectiveCount} objectives. Arrow keys move through the tree; Right opens a branch, Left closes it; Enter opens an
            objective. Progress is each objective’s own; it does not roll up.
          </p>
          <AlignmentTree key={cycleId} nodes={alignment.data.nodes} label={`Alignment of ${name}`} cycleNames={cycleNames} />
        </>
      )}
    </>
  );
}

/** S8: objective → key results → KPIs, and a CSV of the same. */
export function MatrixPage() {
  const { cycleId } = matrixRoute.useParams();
  const matrix = useQuery(matrixQueryOptions(cycleId));
  const name = matrix.data?.cycle.name;
  usePageTitle(name ? `Matrix · ${name}` : 'Matrix');
  return (
    <>
      <div className="page-head">
        <h1>OKR–KPI matrix{name ? ` · ${name}` : ''}</h1>
        <a className="button" href={matrixCsvUrl(cycleId)} download>
          Download CSV
        </a>
      </div>
      <p>
        <Link to="/cycles/matrix" search={{ from: cycleId, to: cycleId }}>
          Compare with other cycles
        </Link>
      </p>
      {matrix.isPending ? (
        <Loading what="the matrix" />
      ) : matrix.isError ? (
        <ProblemAlert problem={problemOf(matrix.error)} />
      ) : matrix.data.objectives.length === 0 ? (
        <p role="status">No objectives in {name} yet.</p>
      ) : (
        <OkrKpiMatrixTable matrix={matrix.data} owner={(o) => <OwnerName ownerTeamId={o.ownerTeamId} ownerUserId={o.ownerUserId} />} />
      )}
    </>
  );
}

/** S9: the health check's findings by rule, and the evaluation (provisional until the cycle closes). */
export function ReviewPage() {
  const { cycleId } = reviewRoute.useParams();
  const check = useQuery(healthCheckQueryOptions(cycleId));
  const evaluation = useQuery(evaluationQueryOptions(cycleId));
  const name = check.data?.cycle.name ?? evaluation.data?.cycle.name;
  usePageTitle(name ? `Review · ${name}` : 'Review');
  const objectiveOfKeyResult = new Map((evaluation.data?.objectives ?? []).flatMap((o) => o.keyResults.map((kr) => [kr.id, o.id] as const)));
  return (
    <>
      <h1>Review{name ? ` · ${name}` : ''}</h1>
      <section aria-labelledby="health-check">
        <h2 id="health-check">Health check</h2>
        {check.isPending || evaluation.isPending ? (
          <Loading what="the health check" />
        ) : check.isError ? (
          <ProblemAlert problem={problemOf(check.error)} />
        ) : (
          <HealthFindings check={check.data} objectiveOf={(id) => objectiveOfKeyResult.get(id)} />
        )}
      </section>
      <section aria-labelledby="evaluation">
        <h2 id="evaluation">Evaluation</h2>
        {evaluation.isPending ? (
          <Loading what="the evaluation" />
        ) : evaluation.isError ? (
          <ProblemAlert problem={problemOf(evaluation.error)} />
        ) : (
          <EvaluationTable evaluation={evaluation.data} />
        )}
      </section>
    </>
  );
}
