import 'uplot/dist/uPlot.min.css';

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

import type { KpiTarget, Measurement } from '@/lib/api/types';
import { plottable } from '@/lib/format';
import { type Band, statusBands } from '@/lib/status';

type Target = KpiTarget;

const bandColours: Record<Band['status'], string> = {
  onTarget: 'rgba(22, 163, 74, 0.12)',
  atRisk: 'rgba(217, 119, 6, 0.16)',
  offTarget: 'rgba(220, 38, 38, 0.10)',
};

/** The target as constant series (dashed, so that the legend names them) with their labels. */
function targetLines(target: Target): { label: string; value: number }[] {
  const lines: { label: string; value: number }[] = [];
  if (target.comparator === 'between') {
    if (target.low != null) lines.push({ label: 'Target low', value: target.low });
    if (target.high != null) lines.push({ label: 'Target high', value: target.high });
  } else if (target.value != null) {
    lines.push({ label: 'Target', value: target.value });
  }
  return lines;
}

/** Every value a band boundary sits at, so the y axis always shows the bands around the target. */
function boundaries(target: Target): number[] {
  return statusBands(target).flatMap((b) => [b.from, b.to]).filter(Number.isFinite);
}

/**
 * The series drawn by uPlot on a canvas: the values, the target line(s), and the status bands shaded behind them
 * (between: at risk on both sides). The canvas is hidden from assistive technology; the figure's caption, its text
 * summary and the values table say the same in words.
 */
export default function SeriesChart({
  items,
  target,
  label,
  unit,
  from,
  to,
}: {
  items: Measurement[];
  target: Target;
  label: string;
  unit?: string | null;
  /** The range asked for (period starts): the x axis spans it, so missing periods show as gaps at either end too. */
  from: string;
  to: string;
}) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const xs = items.map((m) => Date.parse(m.periodStart) / 1000);
    const ys = items.map((m) => plottable(m.value));
    const lines = targetLines(target);
    const data: uPlot.AlignedData = [xs, ys, ...lines.map((l) => xs.map(() => l.value))];
    const edges = [...ys.filter((v): v is number => v !== null), ...boundaries(target)];
    const bands = statusBands(target);

    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 280),
      height: 280,
      series: [
        {},
        { label, stroke: '#1d4ed8', width: 2, points: { show: items.length <= 120, size: 6 }, spanGaps: false, value: (_u, v) => (v == null ? '–' : `${v}${unit ? ` ${unit}` : ''}`) },
        ...lines.map((l) => ({ label: l.label, stroke: '#374151', width: 1.5, dash: [6, 4], points: { show: false } })),
      ],
      scales: {
        x: { time: true, range: (_u, min, max) => [Math.min(min ?? Infinity, Date.parse(from) / 1000), Math.max(max ?? -Infinity, Date.parse(to) / 1000)] },
        y: {
          range: (_u, min, max) => {
            const lo = Math.min(min ?? Infinity, ...edges);
            const hi = Math.max(max ?? -Infinity, ...edges);
            const span = hi - lo || Math.abs(hi) || 1;
            return [lo - span * 0.1, hi + span * 0.1];
          },
        },
      },
      axes: [{ stroke: '#374151' }, { stroke: '#374151', size: 60 }],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            ctx.save();
            for (const band of bands) {
              const top = Number.isFinite(band.to) ? u.valToPos(band.to, 'y', true) : bbox.top;
              const bottom = Number.isFinite(band.from) ? u.valToPos(band.from, 'y', true) : bbox.top + bbox.height;
              const y0 = Math.max(bbox.top, Math.min(top, bottom));
              const y1 = Math.min(bbox.top + bbox.height, Math.max(top, bottom));
              if (y1 <= y0 && band.from !== band.to) continue;
              ctx.fillStyle = bandColours[band.status];
              // An exact-value band (equals) is a line, drawn 2 px high so that it shows.
              ctx.fillRect(bbox.left, band.from === band.to ? y0 - 2 : y0, bbox.width, band.from === band.to ? 4 : y1 - y0);
            }
            ctx.restore();
          },
        ],
        draw: [
          () => {
            element.dataset.drawnPoints = String(items.length);
            performance.mark('kpi-chart-drawn', { detail: { points: items.length } });
          },
        ],
      },
    };

    const chart = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 280), height: 280 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      delete element.dataset.drawnPoints;
    };
  }, [items, target, label, unit, from, to]);

  return <div ref={container} className="chart" aria-hidden="true" />;
}
