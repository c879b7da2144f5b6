// What every command receives: its streams and environment, the output, and a way to open the services.
import { loadConfig, type Config } from '../config.js';
import type { Clock } from '../manage/context.js';
import type { Services } from '../services.js';
import type { Output, TextSink } from './output.js';

/** The outside world of one CLI run; tests pass their own. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
  /** Stops `serve` like SIGINT/SIGTERM do (tests run the server in-process with it). */
  signal?: AbortSignal | undefined;
}

export class CliContext {
  constructor(readonly io: CliIo, readonly out: Output) {}

  config(): Config {
    return loadConfig(this.io.env);
  }

  /**
   * Opens the database named by LATCHKEY_DATABASE_URL (applying pending migrations), runs `work`,
   * closes it. Changes made here reach running servers through the change feed (and Redis when set).
   */
  async withServices<T>(work: (services: Services) => Promise<T>, options: { clock?: Clock } = {}): Promise<T> {
    const config = this.config();
    // Management commands stay quiet unless asked: a log line would break the one-line error promise.
    const level = this.io.env.LATCHKEY_LOG_LEVEL ? config.logLevel : 'silent';
    // Loaded on use: the services pull in every driver, which --help, --version and check do not need.
    const [{ buildServices }, { createLogger }] = await Promise.all([import('../services.js'), import('../logger.js')]);
    const services = await buildServices(config, { logger: createLogger(level, process.stderr), ...options });
    try {
      return await work(services);
    } finally {
      await services.close();
    }
  }
}
