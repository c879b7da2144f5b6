// The HTTP comparison as a small SVG bar chart (requests/s and p99), written as plain text with no library.
import type { HttpFigures } from './http-servers.js';
import type { RunInfo } from './report.js';
import type { Summary } from './stats.js';

const WIDTH = 720;
const HEIGHT = 320;
const COLORS = ['#9aa5b1', '#2f6fdf', '#d9822b', '#3f9c35'];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One panel: a bar per server at its median, a whisker from min to max, the median written above. */
function panel(title: string, x0: number, figures: readonly HttpFigures[], pick: (f: HttpFigures) => Summary, format: (v: number) => string): string {
  const top = 60;
  const bottom = HEIGHT - 50;
  const width = WIDTH / 2 - 40;
  const max = Math.max(...figures.map((f) => pick(f).max)) * 1.15;
  const slot = width / figures.length;
  const y = (v: number) => bottom - ((bottom - top) * v) / max;
  const parts = [`<text x="${x0 + width / 2}" y="${top - 22}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`];
  parts.push(`<line x1="${x0}" y1="${bottom}" x2="${x0 + width}" y2="${bottom}" stroke="#333"/>`);
  figures.forEach((f, i) => {
    const s = pick(f);
    const cx = x0 + slot * i + slot / 2;
    const barWidth = Math.min(70, slot * 0.6);
    parts.push(
      `<rect x="${cx - barWidth / 2}" y="${y(s.median)}" width="${barWidth}" height="${bottom - y(s.median)}" fill="${COLORS[i % COLORS.length]}"/>`,
      `<line x1="${cx}" y1="${y(s.min)}" x2="${cx}" y2="${y(s.max)}" stroke="#111" stroke-width="1.5"/>`,
      `<line x1="${cx - 6}" y1="${y(s.max)}" x2="${cx + 6}" y2="${y(s.max)}" stroke="#111"/>`,
      `<line x1="${cx - 6}" y1="${y(s.min)}" x2="${cx + 6}" y2="${y(s.min)}" stroke="#111"/>`,
      `<text x="${cx}" y="${y(s.max) - 6}" text-anchor="middle">${escape(format(s.median))}</text>`,
      `<text x="${cx}" y="${bottom + 16}" text-anchor="middle" font-size="10">${labelLines(f.label, cx)}</text>`,
    );
  });
  return parts.join('\n');
}

/** A label in lines at its first ", " or " + " ("Latchkey," / "errors-only log"), so that neighbours do not overlap. */
function labelLines(label: string, cx: number): string {
  const cut = /, | \+ /.exec(label);
  if (!cut) return escape(label);
  const first = label.slice(0, cut.index + cut[0].trimEnd().length);
  const rest = label.slice(cut.index + cut[0].length);
  return `<tspan x="${cx}">${escape(first)}</tspan><tspan x="${cx}" dy="12">${escape(rest)}</tspan>`;
}

export function httpChart(info: RunInfo, figures: readonly HttpFigures[], connections: number): string {
  const rps = panel('requests/s (median, min–max)', 20, figures, (f) => f.requestsPerSec, (v) => `${(v / 1000).toFixed(1)}k`);
  const p99 = panel('p99 latency, ms', WIDTH / 2 + 20, figures, (f) => f.p99Ns, (v) => (v / 1e6).toFixed(2));
  const caption = `GET /api/v1/m2m/tenants/{id}/limits, loopback, autocannon ${connections} connections — ${info.date.slice(0, 10)}, ${info.cpu} (${info.cores} cores), Node ${info.node}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    rps,
    p99,
    `<text x="${WIDTH / 2}" y="${HEIGHT - 10}" text-anchor="middle" font-size="10" fill="#555">${escape(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
