// One typed config from the environment and an optional JSON config file, validated at start-up.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument } from 'yaml';
import { cidrError } from './core/cidr.js';
import { normalizeEmail } from './core/email.js';
import { type Environment, ENVIRONMENTS, isEnvironment } from './core/environments.js';
import { DEFAULT_KEY_PREFIX, KEY_PREFIX_PATTERN } from './core/key-format.js';
import { BUILT_IN_PLANS, type Plan } from './core/plans.js';
import { isRequestLogMode, REQUEST_LOG_MODES, type RequestLogMode } from './core/request-log-mode.js';
import { SCOPE_PATTERN } from './core/scopes.js';

/** What `npm start` uses on a fresh machine: an SQLite file under ./data/. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/latchkey.db';

export interface GatewayRouteConfig {
  path: string;
  methods: string[];
  /** Scopes required for every method, or per method. */
  scopes: string[] | Record<string, string[]>;
  upstream: string;
  /** How long the upstream may take to start answering, and to send each next part of its body. */
  timeoutSeconds: number;
}

/** The upstream's time to answer when a route gives none: a hung upstream frees its callers after a minute. */
export const DEFAULT_UPSTREAM_TIMEOUT_SECONDS = 60;

export interface Config {
  host: string;
  port: number;
  tls: { cert: string; key: string } | undefined;
  databaseUrl: string;
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel; nodes that share state use the same one. */
  redisKeyPrefix: string;
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
  /** Which machine requests get a request-log row (LATCHKEY_REQUEST_LOG); all are counted. */
  requestLog: RequestLogMode;
  bodyLimitBytes: number;
  logLevel: string;
  publicUrl: string | undefined;
  /** On a stop signal: how long requests in flight may take to finish, then how long storage may take to flush and close. */
  shutdownTimeoutSeconds: number;
  /** On a stop signal, before the shutdown: how long `/readyz` fails while requests are still served (0: none). */
  shutdownDrainSeconds: number;
  /** How many days before its expiry a key's owners and admins are mailed (LATCHKEY_KEY_EXPIRY_NOTICE_DAYS; 0: never). */
  keyExpiryNoticeDays: number;
  /** How long a client may take to send a whole request, headers and body (a gateway upload), before it is cut. */
  requestTimeoutSeconds: number;
  /** PostgreSQL connections this node opens at most (SQLite: unused). */
  databasePoolSize: number;
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

/** The environment variables a config file may mirror. */
const ENV_SETTINGS = [
  'LATCHKEY_HOST', 'LATCHKEY_PORT', 'LATCHKEY_TLS_CERT', 'LATCHKEY_TLS_KEY', 'LATCHKEY_DATABASE_URL',
  'LATCHKEY_REDIS_URL', 'LATCHKEY_REDIS_PREFIX', 'LATCHKEY_ROOT_TOKEN', 'LATCHKEY_ENVIRONMENT',
  'LATCHKEY_ENVIRONMENT_HOSTS', 'LATCHKEY_TRUST_PROXY', 'LATCHKEY_SMTP_URL', 'LATCHKEY_SMTP_FROM',
  'LATCHKEY_WHATSAPP_WEBHOOK_URL', 'LATCHKEY_WHATSAPP_WEBHOOK_SECRET', 'LATCHKEY_ADMIN_EMAILS',
  'LATCHKEY_REDIS_FAILURE', 'LATCHKEY_REQUEST_LOG', 'LATCHKEY_REQUEST_LOG_RETENTION_DAYS', 'LATCHKEY_BODY_LIMIT_BYTES',
  'LATCHKEY_LOG_LEVEL', 'LATCHKEY_PUBLIC_URL', 'LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS', 'LATCHKEY_DATABASE_POOL_SIZE',
  'LATCHKEY_REQUEST_TIMEOUT_SECONDS', 'LATCHKEY_SHUTDOWN_DRAIN_SECONDS', 'LATCHKEY_KEY_EXPIRY_NOTICE_DAYS',
];
/** Settings only the file holds (lists and objects), plus `$schema` for editors. */
const FILE_SETTINGS = ['keyPrefix', 'plans', 'scopes', 'routes', 'requestLogRetentionDays', 'bodyLimitBytes', '$schema'];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Reads the config: environment variables win over the file named by LATCHKEY_CONFIG. */
export function loadConfig(env: Env = process.env): Config {
  const filePath = env.LATCHKEY_CONFIG || DEFAULT_CONFIG_FILES.find(fileExists);
  const file = readConfigFile(filePath);
  // An empty variable counts as unset, so the file's value (or the default) applies.
  const get = (name: string): string | undefined => {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const fromFile = file[name];
    if (fromFile === undefined || fromFile === '') return undefined;
    // A JSON file naturally writes a port or a limit as a number.
    if (typeof fromFile === 'string' || typeof fromFile === 'number' || typeof fromFile === 'boolean') return String(fromFile);
    // The value is not echoed: it may be a secret (a root token) written in the wrong shape.
    throw new ConfigError(`${name} in ${filePath} must be a string, got ${Array.isArray(fromFile) ? 'a list' : fromFile === null ? 'null' : 'an object'}`);
  };

  const portText = get('LATCHKEY_PORT') ?? '8080';
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) throw new ConfigError(`LATCHKEY_PORT must be a port number (0-65535), got "${portText}"`);

  const cert = get('LATCHKEY_TLS_CERT');
  const key = get('LATCHKEY_TLS_KEY');
  if ((cert === undefined) !== (key === undefined)) throw new ConfigError('LATCHKEY_TLS_CERT and LATCHKEY_TLS_KEY must be set together');

  const databaseUrl = get('LATCHKEY_DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(databaseUrl)) throw new ConfigError('LATCHKEY_DATABASE_URL must be sqlite:<path> or postgres://...');

  const redisUrl = get('LATCHKEY_REDIS_URL');
  if (redisUrl !== undefined && !(/^rediss?:\/\/./.test(redisUrl) && URL.canParse(redisUrl))) {
    throw new ConfigError('LATCHKEY_REDIS_URL must be a URL starting with redis:// or rediss://');
  }

  const rootToken = get('LATCHKEY_ROOT_TOKEN');
  if (rootToken !== undefined && rootToken.length < 32) throw new ConfigError('LATCHKEY_ROOT_TOKEN must be at least 32 characters long');
  // It travels as `Authorization: Bearer <token>`, where blanks around it are trimmed and control characters refused:
  // a token with either could never be sent, so the server would start with a token nobody can use.
  if (rootToken !== undefined && !/^[\x21-\x7e]+$/.test(rootToken)) {
    throw new ConfigError('LATCHKEY_ROOT_TOKEN must be printable ASCII without spaces (it is sent as "Authorization: Bearer <token>")');
  }

  const environment = get('LATCHKEY_ENVIRONMENT') ?? 'production';
  if (!isEnvironment(environment)) throw new ConfigError(`LATCHKEY_ENVIRONMENT must be one of ${ENVIRONMENTS.join(', ')}, got "${environment}"`);

  const smtpUrl = get('LATCHKEY_SMTP_URL');
  if (smtpUrl !== undefined && !isSmtpUrl(smtpUrl)) {
    throw new ConfigError('LATCHKEY_SMTP_URL must be a valid smtp:// or smtps:// URL with a host and a numeric port, if any; percent-encode special characters in the user or password (# as %23, / as %2F, ? as %3F, @ as %40, % as %25)');
  }

  const whatsappUrl = get('LATCHKEY_WHATSAPP_WEBHOOK_URL');
  const whatsappSecret = get('LATCHKEY_WHATSAPP_WEBHOOK_SECRET');
  if (whatsappUrl !== undefined && whatsappSecret === undefined) throw new ConfigError('LATCHKEY_WHATSAPP_WEBHOOK_SECRET is required with LATCHKEY_WHATSAPP_WEBHOOK_URL');
  // A secret alone would be ignored, and WhatsApp codes would go to the log: most likely the URL was forgotten.
  if (whatsappUrl === undefined && whatsappSecret !== undefined) throw new ConfigError('LATCHKEY_WHATSAPP_WEBHOOK_SECRET is set without LATCHKEY_WHATSAPP_WEBHOOK_URL; set the URL too, or unset the secret');
  if (whatsappUrl !== undefined && !isHttpUrl(whatsappUrl)) throw new ConfigError('LATCHKEY_WHATSAPP_WEBHOOK_URL must be an http(s) URL');
  // fetch refuses such a URL on every delivery, with an error that quotes it, password and all, into the log.
  if (whatsappUrl !== undefined && hasCredentials(whatsappUrl)) {
    throw new ConfigError('LATCHKEY_WHATSAPP_WEBHOOK_URL may not carry a user or password: the webhook is authenticated by the HMAC signature made with LATCHKEY_WHATSAPP_WEBHOOK_SECRET');
  }
  // Once a real channel is configured no code may reach the log, and sign-in codes only go by e-mail.
  if (whatsappUrl !== undefined && smtpUrl === undefined) {
    throw new ConfigError('LATCHKEY_WHATSAPP_WEBHOOK_URL needs LATCHKEY_SMTP_URL too: sign-in codes go by e-mail, and with a real channel configured none may be printed to the log');
  }

  const redisFailure = get('LATCHKEY_REDIS_FAILURE') ?? 'closed';
  if (redisFailure !== 'closed' && redisFailure !== 'open') throw new ConfigError(`LATCHKEY_REDIS_FAILURE must be "closed" or "open", got "${redisFailure}"`);

  const requestLog = get('LATCHKEY_REQUEST_LOG') ?? 'all';
  if (!isRequestLogMode(requestLog)) throw new ConfigError(`LATCHKEY_REQUEST_LOG must be one of ${REQUEST_LOG_MODES.join(', ')}, got "${requestLog}"`);

  const keyPrefix = stringSetting(file.keyPrefix, 'keyPrefix') ?? DEFAULT_KEY_PREFIX;
  if (!KEY_PREFIX_PATTERN.test(keyPrefix)) throw new ConfigError(`keyPrefix must be 2-12 characters [a-z0-9] starting with a letter, got "${keyPrefix}"`);

  const adminEmails = (get('LATCHKEY_ADMIN_EMAILS') ?? '').split(',').map(normalizeEmail).filter(Boolean);
  const badEmail = adminEmails.find((e) => !/^[^@\s;]+@[^@\s;]+$/.test(e));
  if (badEmail !== undefined) throw new ConfigError(`LATCHKEY_ADMIN_EMAILS: "${badEmail}" is not an e-mail address (separate addresses with commas)`);

  const logLevel = get('LATCHKEY_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LATCHKEY_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const publicUrl = get('LATCHKEY_PUBLIC_URL');
  if (publicUrl !== undefined && !isHttpUrl(publicUrl)) throw new ConfigError(`LATCHKEY_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);

  return {
    host: get('LATCHKEY_HOST') ?? '127.0.0.1',
    port,
    tls: cert !== undefined && key !== undefined ? { cert, key } : undefined,
    databaseUrl,
    redisUrl,
    redisKeyPrefix: get('LATCHKEY_REDIS_PREFIX') ?? 'latchkey:',
    rootToken,
    environment,
    environmentHosts: parseEnvironmentHosts(get('LATCHKEY_ENVIRONMENT_HOSTS')),
    trustProxy: parseTrustProxy(get('LATCHKEY_TRUST_PROXY')),
    smtpUrl,
    smtpFrom: get('LATCHKEY_SMTP_FROM') ?? 'Latchkey <no-reply@latchkey.local>',
    whatsapp: whatsappUrl !== undefined && whatsappSecret !== undefined ? { url: whatsappUrl, secret: whatsappSecret } : undefined,
    adminEmails,
    redisFailure,
    keyPrefix,
    plans: parsePlans(file.plans),
    scopes: parseScopes(file.scopes),
    routes: parseRoutes(file.routes),
    requestLogRetentionDays: positiveNumber(get('LATCHKEY_REQUEST_LOG_RETENTION_DAYS') ?? file.requestLogRetentionDays, 'LATCHKEY_REQUEST_LOG_RETENTION_DAYS', 30, 36_500),
    requestLog,
    bodyLimitBytes: positiveInteger(get('LATCHKEY_BODY_LIMIT_BYTES') ?? file.bodyLimitBytes, 'LATCHKEY_BODY_LIMIT_BYTES', 1024 * 1024, 1024 ** 3),
    logLevel,
    publicUrl,
    shutdownTimeoutSeconds: positiveInteger(get('LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS'), 'LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS', 10, 3600),
    databasePoolSize: positiveInteger(get('LATCHKEY_DATABASE_POOL_SIZE'), 'LATCHKEY_DATABASE_POOL_SIZE', 10, 1000),
    shutdownDrainSeconds: wholeNumber(get('LATCHKEY_SHUTDOWN_DRAIN_SECONDS'), 'LATCHKEY_SHUTDOWN_DRAIN_SECONDS', 0, 600),
    keyExpiryNoticeDays: wholeNumber(get('LATCHKEY_KEY_EXPIRY_NOTICE_DAYS'), 'LATCHKEY_KEY_EXPIRY_NOTICE_DAYS', 7, 365),
    requestTimeoutSeconds: positiveInteger(get('LATCHKEY_REQUEST_TIMEOUT_SECONDS'), 'LATCHKEY_REQUEST_TIMEOUT_SECONDS', 300, 86_400),
  };
}

/** Looked for in the working directory, in this order, when LATCHKEY_CONFIG is unset. */
const DEFAULT_CONFIG_FILES = ['latchkey.config.json', 'latchkey.config.yaml', 'latchkey.config.yml'];

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
  } catch (error) {
    throw new ConfigError(`LATCHKEY_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const yaml = /\.ya?ml$/i.test(path);
  const parsed = yaml ? parseYamlConfig(text, path) : parseJsonConfig(text, path);
  if (!isObject(parsed)) throw new ConfigError(`LATCHKEY_CONFIG: ${path} must hold ${yaml ? 'a YAML mapping' : 'a JSON object'} of settings`);
  // A misspelt setting would otherwise be ignored without a word.
  const unknown = Object.keys(parsed).find((name) => !ENV_SETTINGS.includes(name) && !FILE_SETTINGS.includes(name));
  if (unknown !== undefined) throw new ConfigError(`LATCHKEY_CONFIG: unknown setting "${unknown}" in ${path}`);
  return parsed;
}

function parseJsonConfig(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Only the position from V8's message: for an unexpected token it quotes the text around it, which may be a
    // secret (and then gives no position).
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new ConfigError(`LATCHKEY_CONFIG: ${path} is not valid JSON${lineAndColumn(text, position === undefined ? undefined : Number(position))}`);
  }
}

/**
 * A YAML file, read as its JSON twin would be, with one difference: a setting named like an environment variable is
 * text, taken as written (YAML would read a token of digits as a number, and a number loses digits).
 */
function parseYamlConfig(text: string, path: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  const [error] = document.errors;
  // The code and position only: the parser's message quotes the lines around the error, which may hold a secret.
  if (error) throw new ConfigError(`LATCHKEY_CONFIG: ${path} is not valid YAML (${error.code})${error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : ''}`);
  const value: unknown = document.toJS();
  if (!isObject(value) || !isMap(document.contents)) return value;
  for (const pair of document.contents.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || !ENV_SETTINGS.includes(pair.key.value)) continue;
    if (isScalar(pair.value) && pair.value.type === 'PLAIN' && pair.value.value !== null && pair.value.source !== undefined) value[pair.key.value] = pair.value.source;
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/./.test(value) && URL.canParse(value);
}

function hasCredentials(value: string): boolean {
  const url = new URL(value);
  return url.username !== '' || url.password !== '';
}

/**
 * Whether nodemailer can take the URL as it is. What the WHATWG parser refuses (a '#', '/' or '?' in the
 * password makes the rest look like a port) nodemailer hands to Node's legacy url.parse, which prints
 * the whole URL, password included, in a deprecation warning. The WHATWG parser also refuses a port
 * that is not a number up to 65535.
 */
function isSmtpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  // An '@' after the host means such a character cut the password short: "smtp://u:25/pw@host" parses, as host u.
  const afterHost = url.pathname + url.search + url.hash;
  return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '' && !afterHost.includes('@');
}

/** " at line L, column C" (both from 1) of an offset in the text, or nothing when it is unknown. */
function lineAndColumn(text: string, offset: number | undefined): string {
  if (offset === undefined) return '';
  const lines = text.slice(0, offset).split('\n');
  return ` at line ${lines.length}, column ${(lines.at(-1) ?? '').length + 1}`;
}

function stringSetting(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`);
  return value;
}

/**
 * A positive number up to `max`: past a sane bound a value is a typo, and would fail later and far away (a timer
 * over 24.8 days fires at once; a retention of 1e12 days is no date).
 */
function positiveNumber(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || value === '' || n > max) throw new ConfigError(`${name} must be a positive number up to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** A whole number from 0 to `max`. */
function wholeNumber(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > max || value === '') throw new ConfigError(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

function positiveInteger(value: unknown, name: string, fallback: number, max: number): number {
  const n = positiveNumber(value, name, fallback, max);
  if (!Number.isSafeInteger(n)) throw new ConfigError(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  return n;
}

function parseEnvironmentHosts(value: string | undefined): Map<string, Environment> {
  const hosts = new Map<string, Environment>();
  if (value === undefined) return hosts;
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [host, environment, ...rest] = pair.split('=').map((part) => part.trim());
    if (!host || !environment || rest.length > 0 || !isEnvironment(environment)) {
      throw new ConfigError(`LATCHKEY_ENVIRONMENT_HOSTS: "${pair}" is not host=production|staging|development`);
    }
    // Requests are matched by host with the port dropped, so a host with a port would never match.
    if (/:\d*$/.test(host) && !/^\[[0-9a-fA-F:.]+\]$/.test(host)) {
      throw new ConfigError(`LATCHKEY_ENVIRONMENT_HOSTS: "${host}" has a port; give the host alone (the port is ignored)`);
    }
    // A fully qualified name may end in a dot (`staging.example.com.`); requests are matched without it.
    const name = host.toLowerCase().replace(/\.$/, '');
    const earlier = hosts.get(name);
    if (earlier !== undefined && earlier !== environment) {
      throw new ConfigError(`LATCHKEY_ENVIRONMENT_HOSTS: "${host}" is given twice, as ${earlier} and as ${environment}; give each host once`);
    }
    hosts.set(name, environment);
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
    const p = isObject(raw) ? raw : {};
    const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
    const valid =
      typeof p.name === 'string' && /^[a-z][a-z0-9_-]{0,39}$/.test(p.name) &&
      typeof p.m2mApi === 'boolean' &&
      count(p.defaultRpm) && count(p.maxRpm) && count(p.maxLiveKeys) &&
      typeof p.neverExpiringKeys === 'boolean' && p.defaultRpm <= p.maxRpm &&
      // A bound on a key's life means nothing where keys may live for ever.
      (p.maxKeyLifetimeDays === undefined || (Number.isSafeInteger(p.maxKeyLifetimeDays) && (p.maxKeyLifetimeDays as number) >= 1 && (p.maxKeyLifetimeDays as number) <= 36_500 && p.neverExpiringKeys === false)) &&
      // Every new key of an M2M plan starts at defaultRpm, which must itself be a valid limit.
      (!p.m2mApi || p.defaultRpm >= 1);
    if (!valid) {
      throw new ConfigError(`plans: ${JSON.stringify(raw)} needs name, m2mApi, neverExpiringKeys, and whole numbers defaultRpm <= maxRpm (defaultRpm >= 1 with m2mApi), maxLiveKeys; maxKeyLifetimeDays, if given, is 1-36500 and needs neverExpiringKeys false`);
    }
    const plan: Plan = {
      name: p.name as string, m2mApi: p.m2mApi as boolean, defaultRpm: p.defaultRpm as number, maxRpm: p.maxRpm as number, maxLiveKeys: p.maxLiveKeys as number, neverExpiringKeys: p.neverExpiringKeys as boolean,
      ...(p.maxKeyLifetimeDays !== undefined ? { maxKeyLifetimeDays: p.maxKeyLifetimeDays as number } : {}),
    };
    plans.set(plan.name, plan);
  }
  return [...plans.values()];
}

function parseScopes(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && SCOPE_PATTERN.test(s))) {
    throw new ConfigError('scopes must be a list of scopes like "sites:read"');
  }
  return [...new Set(value as string[])];
}

function isScopeList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((s) => typeof s === 'string' && SCOPE_PATTERN.test(s));
}

function parseRoutes(value: unknown): GatewayRouteConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError('routes must be a list of gateway routes');
  return (value as unknown[]).map((raw, i) => {
    const r = isObject(raw) ? raw : {};
    if (typeof r.path !== 'string' || !r.path.startsWith('/')) throw new ConfigError(`routes[${i}].path must be a path starting with /`);
    if (typeof r.upstream !== 'string' || !isHttpUrl(r.upstream)) throw new ConfigError(`routes[${i}].upstream must be an http(s) URL`);
    const rawMethods = r.methods === undefined ? ['GET'] : r.methods;
    if (!Array.isArray(rawMethods) || rawMethods.length === 0 || !rawMethods.every((m) => typeof m === 'string' && HTTP_METHODS.includes(m.toUpperCase()))) {
      throw new ConfigError(`routes[${i}].methods must be a non-empty list of ${HTTP_METHODS.join(', ')}`);
    }
    const methods = [...new Set((rawMethods as string[]).map((m) => m.toUpperCase()))];
    const timeoutSeconds = r.timeoutSeconds === undefined ? DEFAULT_UPSTREAM_TIMEOUT_SECONDS : r.timeoutSeconds;
    if (typeof timeoutSeconds !== 'number' || !Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600) {
      throw new ConfigError(`routes[${i}].timeoutSeconds must be a whole number of seconds from 1 to 3600`);
    }
    const rawScopes = r.scopes === undefined ? [] : r.scopes;
    if (isScopeList(rawScopes)) return { path: r.path, methods, scopes: rawScopes, upstream: r.upstream, timeoutSeconds };
    if (!isObject(rawScopes) || !Object.values(rawScopes).every(isScopeList)) {
      throw new ConfigError(`routes[${i}].scopes must be a list of scopes or a map of method to scopes`);
    }
    // The map is looked up by the request's method, always upper case.
    const scopes: Record<string, string[]> = {};
    for (const [method, list] of Object.entries(rawScopes)) scopes[method.toUpperCase()] = list as string[];
    // A method missing from the map would need no scope at all: that must be written out as [].
    const unscoped = methods.find((m) => scopes[m] === undefined && !(m === 'HEAD' && scopes.GET));
    if (unscoped !== undefined) throw new ConfigError(`routes[${i}].scopes has no entry for ${unscoped}; give [] to require no scope`);
    const stray = Object.keys(scopes).find((m) => !methods.includes(m) && !(m === 'HEAD' && methods.includes('GET')));
    if (stray !== undefined) throw new ConfigError(`routes[${i}].scopes names ${stray}, which is not in routes[${i}].methods`);
    // Fastify answers HEAD on every GET route; a HEAD is a GET without a body and needs the same scopes.
    if (scopes.GET && !scopes.HEAD) scopes.HEAD = scopes.GET;
    return { path: r.path, methods, scopes, upstream: r.upstream, timeoutSeconds };
  });
}
