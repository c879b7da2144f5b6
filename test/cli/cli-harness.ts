// Runs the CLI in-process through main(), on a temp SQLite database of its own, capturing what it prints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { TextSink } from '../../src/cli/output.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildServices, type Services } from '../../src/services.js';
import type { Cleanup } from '../support/test-app.js';

export const ROOT_TOKEN = 'cli-test-root-token-0123456789abcdefghij';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document --json promises. */
  json<T = Record<string, any>>(): T;
  /** stderr parsed as the --json error object. */
  error(): { code: string; details: string; fields?: { field: string; message: string }[] };
}

class Capture implements TextSink {
  text = '';
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}

export interface CliWorld {
  dir: string;
  env: Record<string, string>;
  /** `latchkey <args>` with this world's environment (plus `extraEnv`). */
  run(args: string[], extraEnv?: Record<string, string>, options?: { signal?: AbortSignal; stdout?: TextSink }): Promise<CliRun>;
  /** The services on the same database, to look at what the CLI did. */
  services(): Promise<Services>;
}

export function cliWorld(t: Cleanup, extraEnv: Record<string, string> = {}): CliWorld {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'));
  const env = { LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_ROOT_TOKEN: ROOT_TOKEN, ...extraEnv };
  let services: Promise<Services> | undefined;
  t.after(async () => {
    if (services) await (await services).close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    env,
    async run(args, more = {}, options = {}) {
      const stdout = new Capture();
      const stderr = new Capture();
      const code = await main(['node', 'latchkey', ...args], {
        stdout: options.stdout ?? stdout,
        stderr,
        env: { ...env, ...more },
        signal: options.signal,
      });
      return {
        code,
        stdout: stdout.text,
        stderr: stderr.text,
        json: () => JSON.parse(stdout.text),
        error: () => JSON.parse(stderr.text).error,
      };
    },
    services() {
      services ??= buildServices(loadConfig(env), { logger: createLogger('silent') });
      return services;
    },
  };
}

/** Asserts nothing: returns the lines of `text` without the trailing newline. */
export function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}
