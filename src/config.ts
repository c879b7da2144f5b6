// One typed config from the environment and an optional JSON config file, validated at start-up.
import { readFileSync } from 'node:fs';
import { cidrError } from './core/cidr.js';
import { type Environment, ENVIRONMENTS, isEnvironment } from './core/environments.js';
import { DEFAULT_KEY_PREFIX, KEY_PREFIX_PATTERN } from './core/key-format.js';
import { BUILT_IN_PLANS, type Plan } from './core/plans.js';
import { SCOPE_PATTERN } from './core/scopes.js';

export interface GatewayRouteConfig {
  path: string;
  methods: string[];
  /** Scopes required for every method, or per method. */
  scopes: string[] | Record<string, string[]>;
  upstream: string;
}

export interface Config {
  host: string;
  port: number;
  tls: { cert: string; key: string } | undefined;
  databaseUrl: string;
  redisUrl: string | undefined;
  rootToken: string | undefined;
  environment: Environment;
  environmentHosts: Map<string, Environment>;
  trustProxy: string[];
  smtpUrl: string | undefined;
  smtpFrom: string;
  whatsapp: { url: string; secret: string } | undefined;
  adminEmails: string[];
  redisFailure: 'closed' | 'open';
  keyPrefix: string;
  plans: Plan[];
  scopes: string[];
  routes: GatewayRouteConfig[];
  requestLogRetentionDays: number;
  bodyLimitBytes: number;
  logLevel: string;
  publicUrl: string | undefined;
}

/** A bad setting; the message names the variable or file key, and is printed as one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

interface FileConfig {
  keyPrefix?: unknown;
  plans?: unknown;
  scopes?: unknown;
  routes?: unknown;
  requestLogRetentionDays?: unknown;
  bodyLimitBytes?: unknown;
  [envName: string]: unknown;
}

/** Reads the config: environment variables win over the file named by LATCHKEY_CONFIG. */
export function loadConfig(env: Env = process.env): Config {
  const file = readConfigFile(env.LATCHKEY_CONFIG ?? (fileExists('latchkey.config.json') ? 'latchkey.config.json' : undefined));
  const get = (name: string): string | undefined => {
    const value = env[name] ?? (typeof file[name] === 'string' ? (file[name] as string) : undefined);
    return value === '' ? undefined : value;
  };

  const port = Number(get('LATCHKEY_PORT') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`LATCHKEY_PORT must be a port number (0-65535), got "${get('LATCHKEY_PORT')}"`);

  const cert = get('LATCHKEY_TLS_CERT');
  const key = get('LATCHKEY_TLS_KEY');
  if ((cert === undefined) !== (key === undefined)) throw new ConfigError('LATCHKEY_TLS_CERT and LATCHKEY_TLS_KEY must be set together');

  const databaseUrl = get('LATCHKEY_DATABASE_URL') ?? 'sqlite:./data/latchkey.db';
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(databaseUrl)) throw new ConfigError('LATCHKEY_DATABASE_URL must be sqlite:<path> or postgres://...');

  const redisUrl = get('LATCHKEY_REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('LATCHKEY_REDIS_URL must start with redis:// or rediss://');

  const rootToken = get('LATCHKEY_ROOT_TOKEN');
  if (rootToken !== undefined && rootToken.length < 32) throw new ConfigError('LATCHKEY_ROOT_TOKEN must be at least 32 characters long');

  const environment = get('LATCHKEY_ENVIRONMENT') ?? 'production';
  if (!isEnvironment(environment)) throw new ConfigError(`LATCHKEY_ENVIRONMENT must be one of ${ENVIRONMENTS.join(', ')}, got "${environment}"`);

  const smtpUrl = get('LATCHKEY_SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('LATCHKEY_SMTP_URL must start with smtp:// or smtps://');

  const whatsappUrl = get('LATCHKEY_WHATSAPP_WEBHOOK_URL');
  const whatsappSecret = get('LATCHKEY_WHATSAPP_WEBHOOK_SECRET');
  if (whatsappUrl !== undefined && whatsappSecret === undefined) throw new ConfigError('LATCHKEY_WHATSAPP_WEBHOOK_SECRET is required with LATCHKEY_WHATSAPP_WEBHOOK_URL');
  if (whatsappUrl !== undefined && !/^https?:\/\//.test(whatsappUrl)) throw new ConfigError('LATCHKEY_WHATSAPP_WEBHOOK_URL must be an http(s) URL');

  const redisFailure = get('LATCHKEY_REDIS_FAILURE') ?? 'closed';
  if (redisFailure !== 'closed' && redisFailure !== 'open') throw new ConfigError(`LATCHKEY_REDIS_FAILURE must be "closed" or "open", got "${redisFailure}"`);

  const keyPrefix = stringSetting(file.keyPrefix, 'keyPrefix') ?? DEFAULT_KEY_PREFIX;
  if (!KEY_PREFIX_PATTERN.test(keyPrefix)) throw new ConfigError('keyPrefix must be 2-12 characters [a-z0-9] starting with a letter');

  return {
    host: get('LATCHKEY_HOST') ?? '127.0.0.1',
    port,
    tls: cert !== undefined && key !== undefined ? { cert, key } : undefined,
    databaseUrl,
    redisUrl,
    rootToken,
    environment,
    environmentHosts: parseEnvironmentHosts(get('LATCHKEY_ENVIRONMENT_HOSTS')),
    trustProxy: parseTrustProxy(get('LATCHKEY_TRUST_PROXY')),
    smtpUrl,
    smtpFrom: get('LATCHKEY_SMTP_FROM') ?? 'Latchkey <no-reply@latchkey.local>',
    whatsapp: whatsappUrl !== undefined && whatsappSecret !== undefined ? { url: whatsappUrl, secret: whatsappSecret } : undefined,
    adminEmails: (get('LATCHKEY_ADMIN_EMAILS') ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean),
    redisFailure,
    keyPrefix,
    plans: parsePlans(file.plans),
    scopes: parseScopes(file.scopes),
    routes: parseRoutes(file.routes),
    requestLogRetentionDays: positiveNumber(get('LATCHKEY_REQUEST_LOG_RETENTION_DAYS') ?? file.requestLogRetentionDays, 'LATCHKEY_REQUEST_LOG_RETENTION_DAYS', 30),
    bodyLimitBytes: positiveNumber(get('LATCHKEY_BODY_LIMIT_BYTES') ?? file.bodyLimitBytes, 'LATCHKEY_BODY_LIMIT_BYTES', 1024 * 1024),
    logLevel: get('LATCHKEY_LOG_LEVEL') ?? 'info',
    publicUrl: get('LATCHKEY_PUBLIC_URL'),
  };
}

function fileExists(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

function readConfigFile(path: string | undefined): FileConfig {
  if (path === undefined) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`LATCHKEY_CONFIG: cannot read ${path}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as FileConfig;
  } catch {
    throw new ConfigError(`LATCHKEY_CONFIG: ${path} is not a JSON object`);
  }
}

function stringSetting(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`);
  return value;
}

function positiveNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number, got "${String(value)}"`);
  return n;
}

function parseEnvironmentHosts(value: string | undefined): Map<string, Environment> {
  const hosts = new Map<string, Environment>();
  if (value === undefined) return hosts;
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [host, environment, ...rest] = pair.split('=');
    if (!host || !environment || rest.length > 0 || !isEnvironment(environment)) {
      throw new ConfigError(`LATCHKEY_ENVIRONMENT_HOSTS: "${pair}" is not host=production|staging|development`);
    }
    hosts.set(host.toLowerCase(), environment);
  }
  return hosts;
}

function parseTrustProxy(value: string | undefined): string[] {
  if (value === undefined) return [];
  const entries = value.split(',').map((p) => p.trim()).filter(Boolean);
  for (const entry of entries) {
    const error = cidrError(entry);
    if (error) throw new ConfigError(`LATCHKEY_TRUST_PROXY: ${error}`);
  }
  return entries;
}

function parsePlans(value: unknown): Plan[] {
  const plans = new Map(BUILT_IN_PLANS.map((p) => [p.name, p]));
  if (value === undefined) return [...plans.values()];
  if (!Array.isArray(value)) throw new ConfigError('plans must be a list of plan objects');
  for (const raw of value as unknown[]) {
    const p = raw as Partial<Plan>;
    const valid =
      typeof p.name === 'string' && /^[a-z][a-z0-9_-]{0,39}$/.test(p.name) &&
      typeof p.m2mApi === 'boolean' &&
      Number.isInteger(p.defaultRpm) && Number.isInteger(p.maxRpm) && Number.isInteger(p.maxLiveKeys) &&
      typeof p.neverExpiringKeys === 'boolean' && (p.defaultRpm as number) <= (p.maxRpm as number);
    if (!valid) throw new ConfigError(`plans: ${JSON.stringify(raw)} needs name, m2mApi, defaultRpm <= maxRpm, maxLiveKeys, neverExpiringKeys`);
    plans.set(p.name as string, p as Plan);
  }
  return [...plans.values()];
}

function parseScopes(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && SCOPE_PATTERN.test(s))) {
    throw new ConfigError('scopes must be a list of scopes like "sites:read"');
  }
  return value as string[];
}

function parseRoutes(value: unknown): GatewayRouteConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError('routes must be a list of gateway routes');
  return (value as unknown[]).map((raw, i) => {
    const r = raw as Partial<GatewayRouteConfig>;
    if (typeof r.path !== 'string' || !r.path.startsWith('/')) throw new ConfigError(`routes[${i}].path must be a path starting with /`);
    if (typeof r.upstream !== 'string' || !/^https?:\/\//.test(r.upstream)) throw new ConfigError(`routes[${i}].upstream must be an http(s) URL`);
    const methods = r.methods ?? ['GET'];
    if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) throw new ConfigError(`routes[${i}].methods must be a list of HTTP methods`);
    const scopes = r.scopes ?? [];
    const scopeLists = Array.isArray(scopes) ? [scopes] : Object.values(scopes);
    if (!scopeLists.every((l) => Array.isArray(l) && l.every((s) => typeof s === 'string' && SCOPE_PATTERN.test(s)))) {
      throw new ConfigError(`routes[${i}].scopes must be a list of scopes or a map of method to scopes`);
    }
    return { path: r.path, methods: methods.map((m) => m.toUpperCase()), scopes, upstream: r.upstream };
  });
}
