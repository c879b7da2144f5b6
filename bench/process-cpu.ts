// CPU time a process has used, from Linux's /proc: all its threads, and its main thread (the one that
// serves HTTP in a Node server). Elsewhere there is no reading and the figures that need one are left out.
import { readFileSync } from 'node:fs';

export interface CpuReading {
  /** Milliseconds of user + system time of the whole process: every thread, ended ones included. */
  allMs: number;
  mainMs: number;
}

/** USER_HZ, the ticks per second of the `stat` files' times: 100 on the Linux ports Node supports. */
const TICKS_PER_SECOND = 100;

function statMs(path: string): number {
  // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are fixed.
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the file; `fields` starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export function readCpu(pid: number | undefined): CpuReading | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    return { allMs: statMs(`/proc/${pid}/stat`), mainMs: statMs(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    // The process ended, or /proc is not mounted.
    return undefined;
  }
}
