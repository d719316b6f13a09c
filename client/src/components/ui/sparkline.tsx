export interface SparkPoint {
  period: string;
  value: number | null;
}

const width = 120;
const height = 32;
const pad = 3;

/**
 * A small SVG line of the last periods. Gaps stay gaps (no interpolation across a missing period), a lone point is a
 * dot, and a KPI without any value gets no sparkline at all: a flat line would claim data that does not exist.
 */
export function Sparkline({ points, label, target }: { points: SparkPoint[]; label: string; target?: number | null }) {
  const values = points.map((p) => p.value).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  const candidates = target === null || target === undefined ? values : [...values, target];
  let min = Math.min(...candidates);
  let max = Math.max(...candidates);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const x = (i: number) => pad + (points.length === 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v: number) => height - pad - ((v - min) * (height - 2 * pad)) / (max - min);

  const segments: string[] = [];
  const dots: { cx: number; cy: number }[] = [];
  let current = '';
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = '';
      return;
    }
    const isolated = (points[i - 1]?.value ?? null) === null && (points[i + 1]?.value ?? null) === null;
    if (isolated) dots.push({ cx: x(i), cy: y(p.value) });
    current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (current) segments.push(current);

  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {target !== null && target !== undefined && (
        <line className="sparkline-target" x1={pad} x2={width - pad} y1={y(target)} y2={y(target)} />
      )}
      {segments.map((d, i) => (
        <path key={i} className="sparkline-line" d={d} />
      ))}
      {dots.map((d, i) => (
        <circle key={i} className="sparkline-dot" cx={d.cx} cy={d.cy} r={2} />
      ))}
    </svg>
  );
}
