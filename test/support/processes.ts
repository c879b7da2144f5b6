// Real processes for tests: the built CLI and the server (`latchkey serve`) as a user runs them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cleanup } from './test-app.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'latchkey.js');

/** The last change to a file, or to anything in a directory (a deleted file counts through its directory). */
export function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

function builtIsFresh(): boolean {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  return existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(ROOT, 'src'));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `build` unless `isFresh()`, one test file at a time: test files run in parallel, so the build
 * happens under a lock directory `dist/<lockName>`; a lock older than two minutes is a crashed run's.
 */
export function buildOnce(lockName: string, isFresh: () => boolean, build: () => void): void {
  if (isFresh()) return;
  const lock = join(ROOT, 'dist', lockName);
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (isFresh()) return;
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 3 minutes for another test's build (lock ${lock})`);
      sleepSync(200);
    }
  }
  try {
    if (!isFresh()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds the server into dist/ (`npm run build:server`) when it is missing or older than src/: `npm install` builds it, but a test run after an edit may not. */
export function ensureBuilt(): void {
  buildOnce('.build-lock', builtIsFresh, () => {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      // tsc emits despite type errors (others' work in progress); only a build that wrote nothing fails the tests.
      if (!builtIsFresh()) throw new Error(`npm run build:server failed:\n${String((error as { stdout?: Buffer }).stdout ?? error)}`);
    }
  });
}

export function tempDir(t: Cleanup): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-proc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clean environment for a child: PATH and the given variables, nothing of the test runner's. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'PGUSER', 'PGPASSWORD', 'TMPDIR', 'SYSTEMROOT'];
  return { ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : []))), ...env };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `latchkey <args>` as its own process (killed after `timeoutMs`). */
export function runCli(args: string[], env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

export interface ServerProcess {
  /** The address the server printed (the real port, since tests start it with port 0). */
  url: string;
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code (`null` when killed). */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  /** Sets LATCHKEY_DATABASE_URL (else it comes from `env`, else a SQLite file in a temp dir). */
  databaseUrl?: string;
  /** How long to wait for the banner and /healthz. */
  timeoutMs?: number;
}

/**
 * Starts `latchkey serve` on a free port (LATCHKEY_PORT=0; the banner shows the real one), waits
 * until it answers /healthz, and stops it when the test ends. Other suites (multi-node, browser)
 * reuse it with their own environment and database.
 */
export async function startServer(t: Cleanup, env: Record<string, string>, options: StartOptions = {}): Promise<ServerProcess> {
  const databaseUrl = options.databaseUrl ?? env.LATCHKEY_DATABASE_URL ?? `sqlite:${join(tempDir(t), 'latchkey.db')}`;
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: childEnv({ LATCHKEY_PORT: '0', LATCHKEY_LOG_LEVEL: 'info', ...env, LATCHKEY_DATABASE_URL: databaseUrl }),
    cwd: ROOT,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let stopping: Promise<number | null> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(killer);
        return code;
      }
      return child.exitCode;
    })();
    return stopping;
  };
  t.after(stop);

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let url: string | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    url ??= /listening on (https?:\/\/[^\s)]+)/.exec(output)?.[1];
    if (url && (await healthy(url))) return { url, child, output: () => output, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`server did not answer /healthz within ${options.timeoutMs ?? 30_000} ms:\n${output}`);
}

/** True when GET /healthz answers 200 (a self-signed HTTPS certificate is accepted here). */
async function healthy(url: string): Promise<boolean> {
  if (url.startsWith('https:')) {
    return new Promise((resolve) => {
      httpsRequest(`${url}/healthz`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false)).end();
    });
  }
  try {
    return (await fetch(`${url}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
