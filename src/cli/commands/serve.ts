// `latchkey serve` (what `npm start` runs): migrations, the HTTP(S) server, background jobs, clean shutdown.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Command } from 'commander';
import { type Config, ConfigError, DEFAULT_DATABASE_URL } from '../../config.js';
import type { TypedApp } from '../../http/typed-app.js';
import { FIRST_RUN_OPERATOR, isFirstRun } from '../../otp/operators.js';
import type { CliContext } from '../cli-context.js';
import { CliFailure } from '../cli-errors.js';

/** Query parameters that pg-connection-string passes on as a password. */
const PASSWORD_PARAMS = ['password', 'sslpassword'];

/**
 * The database URL without its passwords, fit for a banner: sqlite: as is, postgres:// with the
 * password and the password parameters masked. A URL where it cannot be told where the password
 * ends shows only its scheme.
 * @example safeDatabaseUrl('postgres://app:s3cret@db/lk?sslpassword=k') // 'postgres://app:***@db/lk?sslpassword=***'
 */
export function safeDatabaseUrl(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl;
  const schemeOnly = `${databaseUrl.startsWith('postgresql:') ? 'postgresql' : 'postgres'}://***`;
  if (!URL.canParse(databaseUrl)) return schemeOnly;
  const url = new URL(databaseUrl);
  // An '@' after the host means a '/', '?' or '#' cut the password short, and the rest of it would show
  // ("postgres://app:12/pw@db"); a query like ?user=me@corp goes unshown too, a small loss.
  if ((url.pathname + url.search + url.hash).includes('@')) return schemeOnly;
  if (url.password !== '') url.password = '***';
  if (url.search !== '') url.search = maskPasswordParams(url.search);
  return url.href;
}

/** The query with every password parameter's value replaced by ***, and the rest as written. */
function maskPasswordParams(search: string): string {
  return search.slice(1).split('&').map((pair) => {
    // Decoded as pg will decode it, so "pass%77ord=" is caught too.
    const name = [...new URLSearchParams(pair).keys()][0] ?? '';
    return PASSWORD_PARAMS.includes(name.toLowerCase()) ? `${pair.split('=')[0]}=***` : pair;
  }).join('&');
}

export function banner(config: Config, address: string): string {
  // Listening on every interface (0.0.0.0, ::) is no address a browser can open; this machine's is.
  const dashboard = config.publicUrl?.replace(/\/$/, '') ?? address.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, '//localhost');
  const logging = { all: '', errors: '; request log: errors only', off: '; request log off' }[config.requestLog];
  const lines = [`Latchkey is listening on ${address} (serving ${config.environment}; database ${safeDatabaseUrl(config.databaseUrl)}${logging})`];
  if (isFirstRun(config)) {
    lines.push(
      '',
      `  Dashboard:   ${dashboard}/`,
      `  Sign in as:  ${FIRST_RUN_OPERATOR} (the operator while LATCHKEY_ADMIN_EMAILS is unset)`,
      '  Sign-in code: printed in this terminal / log, since no mail server (LATCHKEY_SMTP_URL) is configured.',
      '',
      // The CLI works on the database directly: from another shell it needs the same database setting.
      config.databaseUrl === DEFAULT_DATABASE_URL
        ? '  Create a first tenant and key from another terminal:'
        : '  Create a first tenant and key from another terminal, with the same LATCHKEY_DATABASE_URL set:',
      '    npx latchkey tenant create --name Acme',
      '    npx latchkey key create --tenant <tenant id> --name prod-order-bot --env production',
      '  Or fill every dashboard page with demo data: npx latchkey demo',
    );
    if (config.rootToken === undefined) {
      lines.push('  For the management API (/v1), make an operator token: npx latchkey root-token create --name ops');
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * PEM files that cannot be read, or are not a certificate and its private key, are a start-up error naming their
 * variables, not an ENOENT or an OpenSSL code from deep inside.
 */
function checkTlsFiles(config: Config): void {
  if (!config.tls) return;
  const pem: Buffer[] = [];
  for (const [variable, path] of [['LATCHKEY_TLS_CERT', config.tls.cert], ['LATCHKEY_TLS_KEY', config.tls.key]] as const) {
    try {
      pem.push(readFileSync(path));
    } catch (error) {
      const directory = (error as NodeJS.ErrnoException).code === 'EISDIR';
      throw new ConfigError(`${variable}: cannot read the file ${path}${directory ? ' (it is a directory)' : ''}`);
    }
  }
  try {
    createSecureContext({ cert: pem[0], key: pem[1] });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:/, '') : String(error);
    throw new ConfigError(`LATCHKEY_TLS_CERT and LATCHKEY_TLS_KEY must be a PEM certificate and its own private key (${reason})`);
  }
}

/** Listens where the config says; a failure names the settings (a bad host would otherwise read as a database error). */
async function listenOn(app: TypedApp, config: Config): Promise<string> {
  try {
    return await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliFailure('failed', `cannot listen on ${config.host}:${config.port} (LATCHKEY_HOST, LATCHKEY_PORT): ${reason}`);
  }
}

/** Closes the server; connections still busy after `timeoutMs` (a request in flight, a stalled client) are cut. */
async function closeWithin(app: TypedApp, timeoutMs: number, logger: { warn(obj: object, msg: string): void }): Promise<void> {
  const cut = setTimeout(() => {
    logger.warn({ timeout_ms: timeoutMs }, 'connections still busy at the shutdown timeout: closing them');
    app.server.closeAllConnections();
  }, timeoutMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}

/** True when `work` finishes within `timeoutMs`, false when it is still pending then (it is left to finish or not). */
function finishesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  return Promise.race([work.then(() => true), late]).finally(() => clearTimeout(timer));
}

/**
 * `first` resolves on SIGINT, SIGTERM or the caller's abort signal; a second signal during the
 * shutdown calls `onSecond` (the process then ends at once). `dispose` removes the handlers.
 */
function stopSignals(signal: AbortSignal | undefined, onSecond: () => void): { first: Promise<string>; dispose(): void } {
  let resolveFirst: (reason: string) => void = () => {};
  const first = new Promise<string>((resolve) => (resolveFirst = resolve));
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return onSecond();
    stopping = true;
    resolveFirst(reason);
  };
  const onSigint = () => stop('SIGINT');
  const onSigterm = () => stop('SIGTERM');
  const onAbort = () => stop('abort');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  if (signal?.aborted) stop('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    first,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the server (applies pending migrations first; stop it with Ctrl-C)')
    .action(async () => {
      const config = ctx.config();
      checkTlsFiles(config);
      const [{ buildApp }, { createLogger }, { buildServices }, { tuneV8ForServing }] = await Promise.all([
        import('../../http/app.js'), import('../../logger.js'), import('../../services.js'), import('../../runtime-tuning.js'),
      ]);
      tuneV8ForServing();
      // The log goes where the banner goes; pino writes to any object with write() (tests pass a buffer).
      const logger = ctx.io.stdout === process.stdout ? createLogger(config.logLevel) : createLogger(config.logLevel, ctx.io.stdout as NodeJS.WritableStream);
      const services = await buildServices(config, { logger });
      let address: string;
      let app: TypedApp;
      try {
        app = await buildApp(services);
        // With LATCHKEY_PORT=0 the system picks a port; the banner shows the real one.
        address = await listenOn(app, config);
      } catch (error) {
        await services.close().catch(() => undefined);
        throw error;
      }
      services.startBackgroundJobs();
      ctx.out.result(
        { url: address, environment: config.environment, first_run: isFirstRun(config), ...(isFirstRun(config) ? { operator_email: FIRST_RUN_OPERATOR } : {}) },
        banner(config, address).trimEnd(),
      );

      const stop = stopSignals(ctx.io.signal, () => {
        logger.warn({}, 'second stop signal: exiting without waiting for the shutdown');
        process.exit(1);
      });
      const reason = await stop.first;
      if (config.shutdownDrainSeconds > 0) {
        // Load balancers see /readyz fail and stop sending; requests that still come are served, each answer
        // closing its connection so that a keep-alive client reconnects to another node.
        logger.info({ reason, seconds: config.shutdownDrainSeconds }, 'draining: /readyz fails while requests are still served (LATCHKEY_SHUTDOWN_DRAIN_SECONDS)');
        services.drain();
        app.server.prependListener('request', (_request, response) => response.setHeader('connection', 'close'));
        await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainSeconds * 1000));
      }
      logger.info({ reason }, 'shutting down');
      const timeoutMs = config.shutdownTimeoutSeconds * 1000;
      try {
        // Stop taking requests first, then flush the request logs and close storage and Redis; each within
        // the shutdown timeout, so that a stalled client or a stalled database cannot hold the process.
        await closeWithin(app, timeoutMs, logger);
        // Storage failing at the stop (a database restarting, say) is retried for most of the timeout, leaving a
        // second to close the connections.
        const closing = services.close(Math.max(0, timeoutMs - 1000));
        if (!(await finishesWithin(closing, timeoutMs))) {
          throw new CliFailure('unavailable', `storage did not flush and close within ${config.shutdownTimeoutSeconds} s (LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS); request logs not written yet are lost`);
        }
        if (!(await closing)) {
          throw new CliFailure('unavailable', `storage stayed out of reach for ${config.shutdownTimeoutSeconds} s after the stop (LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS); request logs and usage counts not written yet are lost`);
        }
        logger.info({}, 'stopped');
      } finally {
        stop.dispose();
      }
    });
}
