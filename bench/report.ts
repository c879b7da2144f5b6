// The bench's one table and its results file: rows of figures, each a median of rounds with min and max.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join } from 'node:path';
import type { Summary } from './stats.js';

/** Throughput per second, a time in nanoseconds, or a size in bytes. */
export type Unit = 'per-second' | 'ns' | 'bytes' | 'share';

export interface Measured {
  summary: Summary;
  unit: Unit;
}

/** `latchkey / baseline` must be at least (`>=`) or at most (`<=`) `value`. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface Row {
  part: string;
  figure: string;
  /** A measured figure, or why there is none ("skipped: ..."). */
  latchkey: Measured | string;
  baseline?: Measured | string | undefined;
  /** What the baseline column holds, e.g. "sha256 + Map.get". */
  baselineName?: string | undefined;
  /** Latchkey divided by the baseline, round by round (both measured in the same rounds). */
  ratio?: Summary | undefined;
  target?: Target | undefined;
  /** A pass/fail that is not a ratio (e.g. "every answer was 200"), and how the target column reads. */
  met?: boolean | undefined;
  targetText?: string | undefined;
}

/** How long a part ran and how busy the machine was (1-minute load average) as it started and ended. */
export interface PartTiming {
  part: string;
  seconds: number;
  loadAtStart: number;
  loadAtEnd: number;
}

export interface RunInfo {
  date: string;
  cpu: string;
  cores: number;
  node: string;
  os: string;
  options: Record<string, unknown>;
  parts: PartTiming[];
}

export function oneMinuteLoad(): number {
  return loadavg()[0] ?? 0;
}

export function runInfo(options: Record<string, unknown>): RunInfo {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    options,
    parts: [],
  };
}

/** True, false, or undefined when there is no target or nothing was measured. */
export function targetMet(row: Row): boolean | undefined {
  if (row.met !== undefined) return row.met;
  if (!row.target || !row.ratio) return undefined;
  return row.target.op === '>=' ? row.ratio.median >= row.target.value : row.ratio.median <= row.target.value;
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'per-second') {
    if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M/s`;
    if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k/s`;
    return `${value.toFixed(0)}/s`;
  }
  if (unit === 'bytes') return `${(value / 2 ** 20).toFixed(0)} MiB`;
  if (unit === 'share') return `${(value * 100).toFixed(0)}%`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} ms`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e5 ? 0 : 1)} µs`;
  return `${value.toFixed(0)} ns`;
}

function formatMeasured(cell: Measured | string | undefined): string {
  if (cell === undefined) return '—';
  if (typeof cell === 'string') return cell;
  const { median, min, max } = cell.summary;
  return `${formatValue(median, cell.unit)} [${formatValue(min, cell.unit)}–${formatValue(max, cell.unit)}]`;
}

function formatRatio(ratio: Summary | undefined): string {
  if (!ratio) return '—';
  const digits = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(2) : v.toPrecision(2));
  return `${digits(ratio.median)} [${digits(ratio.min)}–${digits(ratio.max)}]`;
}

function formatTarget(row: Row): string {
  if (row.target) return `${row.target.op === '>=' ? '≥' : '≤'} ${row.target.value}`;
  return row.targetText ?? '—';
}

/** The table as text: a header with the machine, then one line per row. */
export function renderTable(info: RunInfo, rows: readonly Row[]): string {
  const header = ['part', 'figure', 'Latchkey', 'baseline/peer', 'ratio', 'target', 'met?'];
  const lines = rows.map((row) => {
    const met = targetMet(row);
    const baseline = row.baselineName && row.baseline !== undefined ? `${row.baselineName}: ${formatMeasured(row.baseline)}` : formatMeasured(row.baseline);
    return [row.part, row.figure, formatMeasured(row.latchkey), baseline, formatRatio(row.ratio), formatTarget(row), met === undefined ? '—' : met ? 'yes' : 'NO'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  const timings = info.parts.map((p) => `${p.part} ${p.seconds.toFixed(0)} s (load ${p.loadAtStart.toFixed(1)}→${p.loadAtEnd.toFixed(1)})`).join(', ');
  // Other processes on the machine take cores from the bench and widen every range.
  const busy = info.parts.some((p) => Math.max(p.loadAtStart, p.loadAtEnd) > info.cores) ? ' — the machine was busy with other work: figures are noisier' : '';
  return [
    `Latchkey bench — ${info.date}`,
    `machine: ${info.cpu}, ${info.cores} cores, ${info.os}; Node ${info.node}`,
    `parts: ${timings}${busy}`,
    `options: ${JSON.stringify(info.options)}; figures are median [min–max] over rounds; ratio = Latchkey ÷ baseline per round`,
    '',
    format(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...lines.map(format),
  ].join('\n');
}

/** Writes `<name>.json` (and, for a full run, `latest.json`) under `dir`; returns the paths written. */
export function writeResults(dir: string, name: string, info: RunInfo, rows: readonly Row[], alsoLatest: boolean): string[] {
  mkdirSync(dir, { recursive: true });
  const body = `${JSON.stringify({ ...info, rows: rows.map((row) => ({ ...row, met: targetMet(row) })) }, null, 2)}\n`;
  const paths = [join(dir, `${name}.json`), ...(alsoLatest ? [join(dir, 'latest.json')] : [])];
  for (const path of paths) writeFileSync(path, body);
  return paths;
}
