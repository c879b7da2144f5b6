// The bench's command line: --only=<parts>, --rounds=N, --quick; and the sizes each part derives from them.

/** The parts of a full run, in the table's order. */
export const PARTS = ['inproc', 'http', 'peer', 'scale', 'redis'] as const;
/** Parts that run only when named: `budget` (about 6 minutes) or `verify` (about 3) would take a full run past 10. */
export const OPTIONAL_PARTS = ['budget', 'verify'] as const;
export type Part = (typeof PARTS)[number] | (typeof OPTIONAL_PARTS)[number];
const ALL_PARTS: readonly Part[] = [...PARTS, ...OPTIONAL_PARTS];

export interface PartOptions {
  rounds: number;
  quick: boolean;
  /** Timed length of one in-process round. */
  durationMs: number;
  /** Measured length of one HTTP load run, after its warm-up. */
  httpSeconds: number;
  httpWarmupSeconds: number;
  /** Concurrent connections of the HTTP load. */
  connections: number;
  /** Keys stored in each scale step. */
  scaleSizes: number[];
}

export interface BenchOptions extends PartOptions {
  only: Part[];
  /** A run of every part at full size: the only kind that replaces `latest.json` and `http.svg`. */
  full: boolean;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  let only: Part[] = [...PARTS];
  let rounds: number | undefined;
  let quick = false;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',').map((n) => n.trim()).filter(Boolean);
      const unknown = names.find((n) => !(ALL_PARTS as readonly string[]).includes(n));
      if (unknown !== undefined || names.length === 0) throw new Error(`--only takes a list of ${ALL_PARTS.join(', ')}; got "${arg}"`);
      // Always in the table's order, whatever order they were named in.
      only = ALL_PARTS.filter((p) => names.includes(p));
    } else if (arg.startsWith('--rounds=')) {
      rounds = Number(arg.slice('--rounds='.length));
      if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > 50) throw new Error(`--rounds must be a whole number 1-50; got "${arg}"`);
    } else {
      throw new Error(`unknown option "${arg}" (use --only=${ALL_PARTS.join(',')}, --rounds=N, --quick)`);
    }
  }
  return {
    only,
    quick,
    full: !quick && PARTS.every((p) => only.includes(p)),
    rounds: rounds ?? (quick ? 3 : 5),
    durationMs: quick ? 300 : 1000,
    httpSeconds: quick ? 3 : 8,
    httpWarmupSeconds: quick ? 1 : 2,
    connections: 32,
    scaleSizes: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000],
  };
}
