import { lazy, Suspense } from 'react';

import type { Series, ValueType } from '@/lib/api/types';
import { formatNumber, formatTarget, formatValue } from '@/lib/format';
import { describeBands, statusInfo } from '@/lib/status';

const SeriesChart = lazy(() => import('./series-chart'));

type Kpi = { name: string; unit?: string | null; valueType: ValueType };

/** The chart as a figure: a caption, a summary in words for screen readers, and the canvas. */
export function SeriesFigure({ kpi, series }: { kpi: Kpi; series: Series }) {
  const items = series.items;
  const numbers = items.map((m) => m.value).filter((v): v is number => typeof v === 'number');
  const latest = items[items.length - 1];
  const unit = (n: number) => formatValue(n, kpi.valueType, kpi.unit);
  const target = formatTarget(series.target, kpi.valueType, kpi.unit);
  return (
    <figure className="series-figure" aria-labelledby="series-caption" data-points={items.length}>
      <figcaption id="series-caption">
        {kpi.name} by period, {series.items.length} value{series.items.length === 1 ? '' : 's'} from {series.from.slice(0, 10)} to {series.to.slice(0, 10)}; target {target}
      </figcaption>
      <div className="visually-hidden">
        {items.length === 0 ? (
          <p>No values in this range.</p>
        ) : (
          <p>
            Latest {latest!.period}: {formatValue(latest!.value, kpi.valueType, kpi.unit)}, {statusInfo[latest!.status].word.toLowerCase()}.
            {numbers.length > 0 && ` Lowest ${unit(Math.min(...numbers))}, highest ${unit(Math.max(...numbers))}.`}
            {` Bands: ${describeBands(series.target, (n) => formatNumber(n)).join('; ')}.`} Every value is listed in the table of values.
          </p>
        )}
      </div>
      <p className="legend-note" aria-hidden="true">
        Shaded: <span className="swatch swatch-onTarget" /> on target, <span className="swatch swatch-atRisk" /> at risk, <span className="swatch swatch-offTarget" /> off target.
      </p>
      <Suspense fallback={<p role="status">Loading the chart…</p>}>
        {items.length === 0 ? (
          <p className="muted">No values in this range, so nothing to draw.</p>
        ) : (
          <SeriesChart items={items} target={series.target} label={kpi.name} unit={kpi.unit} from={series.from} to={series.to} />
        )}
      </Suspense>
    </figure>
  );
}
