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

export interface MachineReading {
  /** Ticks (all CPUs) spent busy: user, nice, system, irq, softirq, steal. */
  busy: number;
  total: number;
}

/** The whole machine's CPU ticks from /proc/stat, to tell whether a load kept every core busy. */
export function readMachine(): MachineReading | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user).
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

/** The share of all cores busy between two readings, 0-1. */
export function busyShare(before: MachineReading | undefined, after: MachineReading | undefined): number | undefined {
  if (before === undefined || after === undefined || after.total === before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}
