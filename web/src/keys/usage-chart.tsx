// A stacked bar chart of requests per interval by outcome, drawn as inline SVG; the legend carries the totals.
import type { UsageInterval } from '../api/types.js';
import { axisTicks, niceCeiling, type Outcome, OUTCOMES, type UsagePoint } from './usage-series.js';

const WIDTH = 480;
const HEIGHT = 200;
const LEFT = 40;
/** Two rows under the bars: the tick labels, then the time zone (beside the first tick, it ran into it). */
const BOTTOM = 40;
const TOP = 8;
const TICK_ROW = HEIGHT - BOTTOM + 20;
const ZONE_ROW = HEIGHT - 4;

function tickLabel(start: string, interval: UsageInterval): string {
  return interval === 'day' ? start.slice(5, 10) : start.slice(11, 16);
}

function barTitle(point: UsagePoint, interval: UsageInterval): string {
  const parts = OUTCOMES.filter((o) => point.byOutcome[o.id] > 0).map((o) => `${o.label}: ${point.byOutcome[o.id]}`);
  const when = interval === 'day' ? point.start.slice(0, 10) : `${point.start.slice(0, 10)} ${point.start.slice(11, 16)} UTC`;
  return `${when}: ${parts.length > 0 ? parts.join(', ') : 'no requests'}`;
}

export function UsageChart({ title, points, interval }: { title: string; points: UsagePoint[]; interval: UsageInterval }) {
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o.id, points.reduce((n, p) => n + p.byOutcome[o.id], 0)])) as Record<Outcome, number>;
  const all = points.reduce((n, p) => n + p.total, 0);
  const ceiling = niceCeiling(Math.max(0, ...points.map((p) => p.total)));
  const plotWidth = WIDTH - LEFT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(points.length, 1);
  const labelEvery = Math.ceil(points.length / 8);
  const y = (value: number) => TOP + plotHeight - (value / ceiling) * plotHeight;
  const summary = `${title}: ${all} requests${all > 0 ? ` (${OUTCOMES.filter((o) => totals[o.id] > 0).map((o) => `${o.label} ${totals[o.id]}`).join(', ')})` : ''}`;

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        {axisTicks(ceiling).map((tick) => (
          <g key={tick} className="chart-grid">
            <line x1={LEFT} x2={WIDTH} y1={y(tick)} y2={y(tick)} />
            <text x={LEFT - 6} y={y(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {/* The hours and days of the axis are UTC's, like every time of the dashboard; said, since a browser's own zone may differ. */}
        <text className="chart-label" x={LEFT} y={ZONE_ROW}>
          {interval === 'day' ? 'Days' : 'Hours'} in UTC
        </text>
        {points.map((point, i) => {
          let base = 0;
          const x = LEFT + i * slot + slot * 0.15;
          return (
            <g key={point.start}>
              <title>{barTitle(point, interval)}</title>
              <rect x={LEFT + i * slot} y={TOP} width={slot} height={plotHeight} className="chart-hover" />
              {OUTCOMES.map((o) => {
                const count = point.byOutcome[o.id];
                if (count === 0) return null;
                const top = y(base + count);
                const height = y(base) - top;
                base += count;
                return <rect key={o.id} x={x} y={top} width={slot * 0.7} height={height} className={`outcome-${o.id}`} />;
              })}
              {i % labelEvery === 0 && (
                <text className="chart-label" x={LEFT + i * slot + slot / 2} y={TICK_ROW} textAnchor="middle">
                  {tickLabel(point.start, interval)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="legend">
        {OUTCOMES.map((o) => (
          <li key={o.id}>
            <span className={`swatch outcome-${o.id}`} aria-hidden="true" /> {o.label}: {totals[o.id]}
          </li>
        ))}
      </ul>
    </figure>
  );
}
