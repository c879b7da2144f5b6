// Runs a bench script in its own Node process and reads the one tagged JSON line it prints (ready or result).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Tag = 'BENCH_READY' | 'BENCH_RESULT';

/** Prints the line a parent waits for; the only stdout protocol between the bench's processes. */
export function tell(tag: Tag, value: unknown): void {
  process.stdout.write(`${tag} ${JSON.stringify(value)}\n`);
}

export interface ChildOptions {
  env?: Record<string, string | undefined>;
  /** Flags for node itself (e.g. --cpu-prof, --expose-gc). */
  nodeArgs?: string[];
}

export class BenchChild {
  private readonly child: ChildProcess;
  private stderr = '';
  private readonly lines: string[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  constructor(script: string, args: readonly string[] = [], options: ChildOptions = {}) {
    const path = fileURLToPath(new URL(script, import.meta.url));
    this.child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        // Only the tagged lines matter; a server's own log lines are dropped as they come.
        if (line.startsWith('BENCH_')) this.lines.push(line);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => {
      resolve(code);
      for (const wake of this.waiters.splice(0)) wake();
    }));
  }

  /** The value of the first line tagged `tag`; rejects when the process ends first or time runs out. */
  async message<T>(tag: Tag, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => l.startsWith(`${tag} `));
      if (line !== undefined) return JSON.parse(line.slice(tag.length + 1)) as T;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`bench process ended (${this.child.exitCode ?? this.child.signalCode}) before ${tag}: ${this.stderr.trim().slice(-1500)}`);
      }
      if (Date.now() > deadline) throw new Error(`no ${tag} within ${timeoutMs} ms: ${this.stderr.trim().slice(-1500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The process id, while it has one. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the process to stop (SIGTERM), and kills it if it has not after five seconds. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
