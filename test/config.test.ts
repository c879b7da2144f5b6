import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import { BUILT_IN_PLANS } from '../src/core/plans.js';

type Env = Record<string, string | undefined>;

const TOKEN = 'a-root-token-of-exactly-32-chars';

/** A temp dir removed after the test. */
function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `content` (a string as is, anything else as JSON) to a temp file and returns its path. */
function configFile(t: TestContext, content: unknown): string {
  const path = join(tempDir(t), 'latchkey.config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/**
 * `loadConfig` with an explicit env, never process.env. Without a file of its own the env
 * names an empty one, so a `latchkey.config.json` in the working directory cannot leak in.
 */
function load(t: TestContext, env: Env = {}, file: unknown = {}): Config {
  return loadConfig({ LATCHKEY_CONFIG: configFile(t, file), ...env });
}

/** Asserts a one-line ConfigError whose message matches every pattern, and returns the message. */
function refuses(t: TestContext, env: Env, patterns: RegExp[], file: unknown = {}): string {
  let message = '';
  assert.throws(() => load(t, env, file), (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.name, 'ConfigError');
    message = error.message;
    return true;
  });
  assert.doesNotMatch(message, /\n/, 'one line');
  for (const pattern of patterns) assert.match(message, pattern);
  return message;
}

describe('loadConfig: defaults', () => {
  it("gives the contract's defaults with an empty environment", (t) => {
    const config = load(t);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'sqlite:./data/latchkey.db');
    assert.equal(config.environment, 'production');
    assert.equal(config.redisFailure, 'closed');
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.rootToken, undefined);
    assert.equal(config.tls, undefined);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.whatsapp, undefined);
    assert.deepEqual(config.adminEmails, []);
    assert.deepEqual([...config.environmentHosts], []);
    assert.deepEqual(config.trustProxy, []);
    assert.equal(config.keyPrefix, 'lk');
    assert.deepEqual(config.plans, BUILT_IN_PLANS);
    assert.deepEqual(config.scopes, []);
    assert.deepEqual(config.routes, []);
    assert.equal(config.requestLogRetentionDays, 30);
    assert.equal(config.requestLog, 'all');
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.publicUrl, undefined);
    assert.equal(config.shutdownTimeoutSeconds, 10);
    assert.equal(config.databasePoolSize, 10);
    assert.equal(config.requestTimeoutSeconds, 300);
    assert.equal(config.shutdownDrainSeconds, 0);
  });

  it('treats an empty variable as unset', (t) => {
    const config = load(t, { LATCHKEY_PORT: '', LATCHKEY_ENVIRONMENT: '', LATCHKEY_ROOT_TOKEN: '', LATCHKEY_REDIS_URL: '' });
    assert.equal(config.port, 8080);
    assert.equal(config.environment, 'production');
    assert.equal(config.rootToken, undefined);
    assert.equal(config.redisUrl, undefined);
  });

  it('reads ./latchkey.config.json when LATCHKEY_CONFIG is unset', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'latchkey.config.json'), JSON.stringify({ keyPrefix: 'cwd' }));
    const before = process.cwd();
    process.chdir(dir);
    try {
      assert.equal(loadConfig({}).keyPrefix, 'cwd');
    } finally {
      process.chdir(before);
    }
  });
});

describe('loadConfig: environment variables', () => {
  it('reads every setting', (t) => {
    const config = load(t, {
      LATCHKEY_HOST: '0.0.0.0',
      LATCHKEY_PORT: '9443',
      LATCHKEY_TLS_CERT: '/etc/latchkey/cert.pem',
      LATCHKEY_TLS_KEY: '/etc/latchkey/key.pem',
      LATCHKEY_DATABASE_URL: 'postgres://latchkey@db.internal:5432/latchkey',
      LATCHKEY_REDIS_URL: 'redis://redis.internal:6379',
      LATCHKEY_ROOT_TOKEN: TOKEN,
      LATCHKEY_ENVIRONMENT: 'staging',
      LATCHKEY_ENVIRONMENT_HOSTS: 'api.example.com=production, Sandbox.Example.com = development,[::1]=staging',
      LATCHKEY_TRUST_PROXY: '10.0.0.0/8, ::1',
      LATCHKEY_SMTP_URL: 'smtp://user:pass@mail.example.com:587',
      LATCHKEY_WHATSAPP_WEBHOOK_URL: 'https://hooks.example.com/whatsapp',
      LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 'hook-secret',
      LATCHKEY_ADMIN_EMAILS: ' Ops@Example.com ,root@example.com,',
      LATCHKEY_REDIS_FAILURE: 'open',
      LATCHKEY_REQUEST_LOG: 'errors',
      LATCHKEY_REQUEST_LOG_RETENTION_DAYS: '7',
      LATCHKEY_BODY_LIMIT_BYTES: '65536',
      LATCHKEY_LOG_LEVEL: 'warn',
      LATCHKEY_PUBLIC_URL: 'https://keys.example.com',
      LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: '25',
      LATCHKEY_DATABASE_POOL_SIZE: '40',
    });
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 9443);
    assert.deepEqual(config.tls, { cert: '/etc/latchkey/cert.pem', key: '/etc/latchkey/key.pem' });
    assert.equal(config.databaseUrl, 'postgres://latchkey@db.internal:5432/latchkey');
    assert.equal(config.redisUrl, 'redis://redis.internal:6379');
    assert.equal(config.rootToken, TOKEN);
    assert.equal(config.environment, 'staging');
    assert.deepEqual([...config.environmentHosts], [['api.example.com', 'production'], ['sandbox.example.com', 'development'], ['[::1]', 'staging']]);
    assert.deepEqual(config.trustProxy, ['10.0.0.0/8', '::1']);
    assert.equal(config.smtpUrl, 'smtp://user:pass@mail.example.com:587');
    assert.deepEqual(config.whatsapp, { url: 'https://hooks.example.com/whatsapp', secret: 'hook-secret' });
    assert.deepEqual(config.adminEmails, ['ops@example.com', 'root@example.com']);
    assert.equal(config.redisFailure, 'open');
    assert.equal(config.requestLog, 'errors');
    assert.equal(config.requestLogRetentionDays, 7);
    assert.equal(config.bodyLimitBytes, 65536);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.publicUrl, 'https://keys.example.com');
    assert.equal(config.shutdownTimeoutSeconds, 25);
    assert.equal(config.databasePoolSize, 40);
    for (const bad of ['0', '-1', '2.5', 'ten']) refuses(t, { LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: bad }, [/LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS/]);
    for (const bad of ['0', '1.5', 'many']) refuses(t, { LATCHKEY_DATABASE_POOL_SIZE: bad }, [/LATCHKEY_DATABASE_POOL_SIZE/]);
  });

  it('accepts ports 0 to 65535 and the other database URL forms', (t) => {
    assert.equal(load(t, { LATCHKEY_PORT: '0' }).port, 0);
    assert.equal(load(t, { LATCHKEY_PORT: '65535' }).port, 65535);
    assert.equal(load(t, { LATCHKEY_DATABASE_URL: 'sqlite::memory:' }).databaseUrl, 'sqlite::memory:');
    assert.equal(load(t, { LATCHKEY_DATABASE_URL: 'postgresql://h/db' }).databaseUrl, 'postgresql://h/db');
    assert.equal(load(t, { LATCHKEY_REDIS_URL: 'rediss://r.example.com:6380' }).redisUrl, 'rediss://r.example.com:6380');
  });

  it('refuses a root token shorter than 32 characters, without printing it', (t) => {
    const short = 'x'.repeat(31);
    const message = refuses(t, { LATCHKEY_ROOT_TOKEN: short }, [/LATCHKEY_ROOT_TOKEN/, /32/]);
    assert.ok(!message.includes(short));
    assert.equal(load(t, { LATCHKEY_ROOT_TOKEN: 'y'.repeat(32) }).rootToken, 'y'.repeat(32));
    for (const unusable of [' '.repeat(40), `${'y'.repeat(32)} z`, `${'y'.repeat(32)}\t`, `${'y'.repeat(32)}é`]) {
      const refusal = refuses(t, { LATCHKEY_ROOT_TOKEN: unusable }, [/LATCHKEY_ROOT_TOKEN/, /printable ASCII without spaces/]);
      assert.doesNotMatch(refusal, /yyyy/, 'the token is not repeated');
    }
    assert.equal(load(t, { LATCHKEY_ROOT_TOKEN: `${'y'.repeat(32)}+/=~` }).rootToken, `${'y'.repeat(32)}+/=~`);
  });

  it('refuses a bad port', (t) => {
    for (const port of ['abc', '-1', '65536', '8080.5', '0x1F90', '1e3', ' ', '80 80']) {
      refuses(t, { LATCHKEY_PORT: port }, [/LATCHKEY_PORT/, /0-65535/]);
    }
  });

  it('refuses an unknown environment', (t) => {
    refuses(t, { LATCHKEY_ENVIRONMENT: 'prod' }, [/LATCHKEY_ENVIRONMENT/, /production, staging, development/, /"prod"/]);
    refuses(t, { LATCHKEY_ENVIRONMENT: 'Production' }, [/LATCHKEY_ENVIRONMENT /]);
  });

  it('refuses a bad LATCHKEY_ENVIRONMENT_HOSTS pair, naming it', (t) => {
    for (const pair of ['api.example.com', 'api.example.com=prod', '=staging', 'a=staging=b', 'api.example.com=']) {
      refuses(t, { LATCHKEY_ENVIRONMENT_HOSTS: `ok.example.com=staging,${pair}` }, [/LATCHKEY_ENVIRONMENT_HOSTS/]);
    }
    // Requests are matched with the port dropped, so a configured port could never match.
    refuses(t, { LATCHKEY_ENVIRONMENT_HOSTS: 'api.example.com:8443=staging' }, [/LATCHKEY_ENVIRONMENT_HOSTS/, /port/]);
    refuses(t, { LATCHKEY_ENVIRONMENT_HOSTS: '[::1]:8443=staging' }, [/LATCHKEY_ENVIRONMENT_HOSTS/, /port/]);
    // A host given twice with two environments is a typo in a security boundary, not "the last one wins".
    refuses(t, { LATCHKEY_ENVIRONMENT_HOSTS: 'a.example.com=staging,A.example.com.=development' }, [/LATCHKEY_ENVIRONMENT_HOSTS: "A\.example\.com\." is given twice, as staging and as development/]);
    assert.equal(load(t, { LATCHKEY_ENVIRONMENT_HOSTS: 'a.example.com=staging,a.example.com=staging' }).environmentHosts.get('a.example.com'), 'staging');
  });

  it('refuses a bad LATCHKEY_TRUST_PROXY entry, naming it', (t) => {
    refuses(t, { LATCHKEY_TRUST_PROXY: '10.0.0.0/8,10.0.0.0/33' }, [/LATCHKEY_TRUST_PROXY/, /10\.0\.0\.0\/33/]);
    refuses(t, { LATCHKEY_TRUST_PROXY: 'loadbalancer' }, [/LATCHKEY_TRUST_PROXY/, /loadbalancer/]);
  });

  it('needs the WhatsApp secret with the URL, and an http(s) URL', (t) => {
    refuses(t, { LATCHKEY_WHATSAPP_WEBHOOK_URL: 'https://hooks.example.com/w' }, [/LATCHKEY_WHATSAPP_WEBHOOK_SECRET/, /LATCHKEY_WHATSAPP_WEBHOOK_URL/]);
    refuses(t, { LATCHKEY_WHATSAPP_WEBHOOK_URL: 'ftp://hooks.example.com/w', LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 's' }, [/LATCHKEY_WHATSAPP_WEBHOOK_URL/]);
    refuses(t, { LATCHKEY_WHATSAPP_WEBHOOK_URL: 'https://', LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 's' }, [/LATCHKEY_WHATSAPP_WEBHOOK_URL/]);
  });

  it('refuses a WhatsApp webhook URL with a user or password, without echoing them', (t) => {
    // fetch would refuse it on every delivery with an error quoting the URL, and that error is logged.
    const smtp = { LATCHKEY_SMTP_URL: 'smtp://mail.example.com:25', LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 's' };
    for (const url of ['https://hookuser:hookpass@hooks.example.com/w', 'https://:hookpass@hooks.example.com/w', 'http://hookuser@hooks.example.com/w']) {
      const message = refuses(t, { ...smtp, LATCHKEY_WHATSAPP_WEBHOOK_URL: url }, [/LATCHKEY_WHATSAPP_WEBHOOK_URL may not carry a user or password/, /HMAC/, /LATCHKEY_WHATSAPP_WEBHOOK_SECRET/]);
      assert.doesNotMatch(message, /hookuser|hookpass/);
    }
  });

  it('refuses a WhatsApp webhook secret without its URL, naming both and echoing neither value', (t) => {
    const message = refuses(t, { LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 'hook-secret-value' }, [/LATCHKEY_WHATSAPP_WEBHOOK_SECRET/, /LATCHKEY_WHATSAPP_WEBHOOK_URL/]);
    assert.doesNotMatch(message, /hook-secret-value/);
  });

  it('needs SMTP with the WhatsApp webhook: sign-in codes go by e-mail, and none may then be logged', (t) => {
    const hook = { LATCHKEY_WHATSAPP_WEBHOOK_URL: 'https://hooks.example.com/w', LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 's' };
    refuses(t, hook, [/LATCHKEY_WHATSAPP_WEBHOOK_URL/, /LATCHKEY_SMTP_URL/]);
    assert.deepEqual(load(t, { ...hook, LATCHKEY_SMTP_URL: 'smtp://mail.example.com:25' }).whatsapp, { url: 'https://hooks.example.com/w', secret: 's' });
  });

  it('needs the TLS certificate and key together', (t) => {
    refuses(t, { LATCHKEY_TLS_CERT: '/c.pem' }, [/LATCHKEY_TLS_CERT/, /LATCHKEY_TLS_KEY/]);
    refuses(t, { LATCHKEY_TLS_KEY: '/k.pem' }, [/LATCHKEY_TLS_CERT/, /LATCHKEY_TLS_KEY/]);
  });

  it('refuses bad Redis, database and SMTP URLs without echoing them', (t) => {
    for (const url of ['localhost:6379', 'http://redis:6379', 'redis://', 'redis://[bad']) {
      refuses(t, { LATCHKEY_REDIS_URL: url }, [/LATCHKEY_REDIS_URL/, /redis:\/\//]);
    }
    for (const url of ['mysql://u:secret@h/db', 'sqlite:', 'postgres://', './data/latchkey.db']) {
      const message = refuses(t, { LATCHKEY_DATABASE_URL: url }, [/LATCHKEY_DATABASE_URL/, /sqlite:<path> or postgres:\/\//]);
      assert.ok(!message.includes('secret'));
    }
    refuses(t, { LATCHKEY_SMTP_URL: 'mail.example.com:25' }, [/LATCHKEY_SMTP_URL/]);
  });

  it('refuses an SMTP URL that does not parse cleanly, without echoing its password', (t) => {
    // nodemailer would hand these to the legacy url.parse, whose deprecation warning prints the URL.
    const urls = [
      'smtp://mailer:hun#ter2@mail.example.com:587',
      'smtp://mailer:hun/ter2@mail.example.com:587',
      'smtps://mailer:hun?ter2@mail.example.com:465',
      // These parse, but as host "mailer" and port 12: the rest of the password lands after the host.
      'smtp://mailer:12/hunter2@mail.example.com:587',
      'smtp://mailer:12?hunter2@mail.example.com:587',
      'smtp://mailer:12#hunter2@mail.example.com:587',
      'smtp://mailer:hunter2@mail.example.com:submission',
      'smtp://mailer:hunter2@mail.example.com:99999',
      'smtp://',
      'smtp:mail.example.com',
      'http://mailer:hunter2@mail.example.com',
    ];
    for (const url of urls) {
      const message = refuses(t, { LATCHKEY_SMTP_URL: url }, [/^LATCHKEY_SMTP_URL must be a valid smtp:\/\/ or smtps:\/\/ URL/, /percent-encode special characters in the user or password/]);
      assert.doesNotMatch(message, /hun|ter2|mailer/, url);
    }
  });

  it('accepts an SMTP URL whose special characters are percent-encoded', (t) => {
    const url = 'smtps://mailer%40example.com:hun%23ter%2F2%3F%40%25@mail.example.com:465';
    assert.equal(load(t, { LATCHKEY_SMTP_URL: url }).smtpUrl, url);
    assert.equal(decodeURIComponent(new URL(url).password), 'hun#ter/2?@%', 'the password nodemailer will decode');
    assert.equal(load(t, { LATCHKEY_SMTP_URL: 'smtp://mail.example.com' }).smtpUrl, 'smtp://mail.example.com');
    assert.equal(load(t, { LATCHKEY_SMTP_URL: 'smtp://mailer:p:w@[::1]:2525' }).smtpUrl, 'smtp://mailer:p:w@[::1]:2525');
  });

  it('refuses a LATCHKEY_REQUEST_LOG other than all, errors or off', (t) => {
    refuses(t, { LATCHKEY_REQUEST_LOG: 'none' }, [/LATCHKEY_REQUEST_LOG /, /all, errors, off/, /"none"/]);
    refuses(t, { LATCHKEY_REQUEST_LOG: 'ERRORS' }, [/LATCHKEY_REQUEST_LOG /]);
    assert.equal(load(t, { LATCHKEY_REQUEST_LOG: 'off' }).requestLog, 'off');
  });

  it('refuses a LATCHKEY_REDIS_FAILURE other than closed or open', (t) => {
    refuses(t, { LATCHKEY_REDIS_FAILURE: 'fail-open' }, [/LATCHKEY_REDIS_FAILURE/, /"closed" or "open"/]);
    refuses(t, { LATCHKEY_REDIS_FAILURE: 'OPEN' }, [/LATCHKEY_REDIS_FAILURE/]);
  });

  it('refuses bad admin e-mails, log levels, public URLs and limits', (t) => {
    refuses(t, { LATCHKEY_ADMIN_EMAILS: 'ops@example.com;root@example.com' }, [/LATCHKEY_ADMIN_EMAILS/, /commas/]);
    refuses(t, { LATCHKEY_ADMIN_EMAILS: 'ops' }, [/LATCHKEY_ADMIN_EMAILS/, /"ops"/]);
    refuses(t, { LATCHKEY_LOG_LEVEL: 'verbose' }, [/LATCHKEY_LOG_LEVEL/, /"verbose"/]);
    refuses(t, { LATCHKEY_PUBLIC_URL: 'keys.example.com' }, [/LATCHKEY_PUBLIC_URL/]);
    refuses(t, { LATCHKEY_REQUEST_LOG_RETENTION_DAYS: '0' }, [/LATCHKEY_REQUEST_LOG_RETENTION_DAYS/]);
    refuses(t, { LATCHKEY_REQUEST_LOG_RETENTION_DAYS: 'a week' }, [/LATCHKEY_REQUEST_LOG_RETENTION_DAYS/]);
    refuses(t, { LATCHKEY_BODY_LIMIT_BYTES: '-1' }, [/LATCHKEY_BODY_LIMIT_BYTES/]);
    refuses(t, { LATCHKEY_BODY_LIMIT_BYTES: '1.5' }, [/LATCHKEY_BODY_LIMIT_BYTES/, /whole number/]);
    // Past a sane bound, a value is a typo that would fail later and far away: a timer over 24.8 days fires at once,
    // a retention of 1e12 days is no date.
    refuses(t, { LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: '3000000' }, [/LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS must be a positive number up to 3600, got "3000000"/]);
    refuses(t, { LATCHKEY_REQUEST_LOG_RETENTION_DAYS: '1e12' }, [/LATCHKEY_REQUEST_LOG_RETENTION_DAYS must be a positive number up to 36500/]);
    refuses(t, { LATCHKEY_BODY_LIMIT_BYTES: String(2 ** 31) }, [/LATCHKEY_BODY_LIMIT_BYTES must be a positive number up to 1073741824/]);
    refuses(t, { LATCHKEY_DATABASE_POOL_SIZE: '5000' }, [/LATCHKEY_DATABASE_POOL_SIZE must be a positive number up to 1000/]);
    refuses(t, { LATCHKEY_REQUEST_TIMEOUT_SECONDS: '0' }, [/LATCHKEY_REQUEST_TIMEOUT_SECONDS/]);
    refuses(t, { LATCHKEY_REQUEST_TIMEOUT_SECONDS: '86401' }, [/LATCHKEY_REQUEST_TIMEOUT_SECONDS must be a positive number up to 86400/]);
    assert.equal(load(t, { LATCHKEY_REQUEST_TIMEOUT_SECONDS: '3600' }).requestTimeoutSeconds, 3600);
    assert.equal(load(t, { LATCHKEY_SHUTDOWN_DRAIN_SECONDS: '0' }).shutdownDrainSeconds, 0);
    assert.equal(load(t, { LATCHKEY_SHUTDOWN_DRAIN_SECONDS: '15' }).shutdownDrainSeconds, 15);
    refuses(t, { LATCHKEY_SHUTDOWN_DRAIN_SECONDS: '-1' }, [/LATCHKEY_SHUTDOWN_DRAIN_SECONDS must be a whole number from 0 to 600, got "-1"/]);
    refuses(t, { LATCHKEY_SHUTDOWN_DRAIN_SECONDS: '1.5' }, [/LATCHKEY_SHUTDOWN_DRAIN_SECONDS/]);
    assert.equal(load(t, { LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: '3600', LATCHKEY_REQUEST_LOG_RETENTION_DAYS: '36500' }).shutdownTimeoutSeconds, 3600);
  });
});

describe('loadConfig: the config file', () => {
  const startup = { name: 'startup', m2mApi: true, defaultRpm: 60, maxRpm: 600, maxLiveKeys: 5, neverExpiringKeys: false };

  it('reads keyPrefix, plans, scopes and routes', (t) => {
    const config = load(t, {}, {
      keyPrefix: 'acme',
      plans: [{ name: 'standard', m2mApi: true, defaultRpm: 50, maxRpm: 500, maxLiveKeys: 3, neverExpiringKeys: true }, startup],
      scopes: ['orders:read', 'orders:write', 'orders:read'],
      routes: [
        { path: '/api/v1/m2m/tenants/:tenantId/sites/:siteId/*', methods: ['get'], scopes: ['sites:read'], upstream: 'http://127.0.0.1:3000' },
        { path: '/api/v1/m2m/tenants/:tenantId/customers/:customerId', methods: ['GET', 'PATCH'], scopes: { get: ['customers:read'], PATCH: ['customers:write'] }, upstream: 'https://up.example.com/' },
        { path: '/api/v1/m2m/tenants/:tenantId/ping', upstream: 'http://127.0.0.1:3000', timeoutSeconds: 5 },
      ],
      requestLogRetentionDays: 14,
      bodyLimitBytes: 2048,
    });
    assert.equal(config.keyPrefix, 'acme');
    assert.deepEqual(config.plans.map((p) => p.name), ['free', 'standard', 'pro', 'enterprise', 'startup']);
    assert.deepEqual(config.plans.find((p) => p.name === 'standard'), { name: 'standard', m2mApi: true, defaultRpm: 50, maxRpm: 500, maxLiveKeys: 3, neverExpiringKeys: true });
    assert.deepEqual(config.plans.find((p) => p.name === 'startup'), startup);
    assert.deepEqual(config.plans.find((p) => p.name === 'pro'), BUILT_IN_PLANS.find((p) => p.name === 'pro'));
    assert.deepEqual(config.scopes, ['orders:read', 'orders:write']);
    assert.deepEqual(config.routes, [
      { path: '/api/v1/m2m/tenants/:tenantId/sites/:siteId/*', methods: ['GET'], scopes: ['sites:read'], upstream: 'http://127.0.0.1:3000', timeoutSeconds: 60 },
      {
        path: '/api/v1/m2m/tenants/:tenantId/customers/:customerId',
        methods: ['GET', 'PATCH'],
        // HEAD is answered on GET routes and is a GET without a body: it needs the GET scopes.
        scopes: { GET: ['customers:read'], PATCH: ['customers:write'], HEAD: ['customers:read'] },
        upstream: 'https://up.example.com/',
        timeoutSeconds: 60,
      },
      { path: '/api/v1/m2m/tenants/:tenantId/ping', methods: ['GET'], scopes: [], upstream: 'http://127.0.0.1:3000', timeoutSeconds: 5 },
    ]);
    assert.equal(config.requestLogRetentionDays, 14);
    assert.equal(config.bodyLimitBytes, 2048);
  });

  it('mirrors the environment variables, numbers included, and the environment wins', (t) => {
    const file = { LATCHKEY_PORT: 9000, LATCHKEY_HOST: '0.0.0.0', LATCHKEY_ENVIRONMENT: 'development', LATCHKEY_ROOT_TOKEN: TOKEN };
    const fromFile = load(t, {}, file);
    assert.equal(fromFile.port, 9000);
    assert.equal(fromFile.host, '0.0.0.0');
    assert.equal(fromFile.environment, 'development');
    assert.equal(fromFile.rootToken, TOKEN);
    const overridden = load(t, { LATCHKEY_PORT: '9100', LATCHKEY_ENVIRONMENT: 'staging', LATCHKEY_HOST: '' }, file);
    assert.equal(overridden.port, 9100);
    assert.equal(overridden.environment, 'staging');
    assert.equal(overridden.host, '0.0.0.0', 'an empty variable falls back to the file');
  });

  it("checks the file's values like the environment's", (t) => {
    refuses(t, {}, [/LATCHKEY_ROOT_TOKEN/], { LATCHKEY_ROOT_TOKEN: 'short' });
    refuses(t, {}, [/LATCHKEY_PORT/], { LATCHKEY_PORT: 70000 });
    refuses(t, {}, [/LATCHKEY_PORT/, /must be a string, got a list/], { LATCHKEY_PORT: [8080] });
    const message = refuses(t, {}, [/LATCHKEY_ROOT_TOKEN/, /must be a string/], { LATCHKEY_ROOT_TOKEN: { token: 'z'.repeat(40) } });
    assert.ok(!message.includes('z'.repeat(40)), 'a secret in the wrong shape is not echoed');
    refuses(t, {}, [/LATCHKEY_REQUEST_LOG_RETENTION_DAYS/], { requestLogRetentionDays: 'two weeks' });
  });

  it('refuses a file that cannot be read or is not a JSON object, naming the file', (t) => {
    const missing = join(tempDir(t), 'nope.json');
    refuses(t, { LATCHKEY_CONFIG: missing }, [/LATCHKEY_CONFIG/, /cannot read/, /nope\.json/, /ENOENT/]);
    const broken = configFile(t, '{"keyPrefix": "acme",}');
    refuses(t, { LATCHKEY_CONFIG: broken }, [/LATCHKEY_CONFIG/, /not valid JSON/, /latchkey\.config\.json/]);
    refuses(t, {}, [/LATCHKEY_CONFIG/, /JSON object/], '[]');
    refuses(t, {}, [/LATCHKEY_CONFIG/, /JSON object/], 'null');
  });

  it('reports a file that is not valid JSON by line and column where it can, quoting none of its text', (t) => {
    const secret = 'Zq8vN3xK5pW2rT7yL4mB9cD6fG1hJ0sA';
    // V8's own message for this one quotes the text around the token, and gives no position.
    const unquoted = configFile(t, `{\n  "LATCHKEY_PORT": 9000,\n  "LATCHKEY_ROOT_TOKEN": ${secret}\n}\n`);
    const message = refuses(t, { LATCHKEY_CONFIG: unquoted }, [/^LATCHKEY_CONFIG: .*latchkey\.config\.json is not valid JSON$/]);
    assert.doesNotMatch(message, /Zq8v|LATCHKEY_ROOT_TOKEN|Unexpected/, 'no excerpt of the file');
    const unterminated = configFile(t, `{"LATCHKEY_ROOT_TOKEN": "${secret}`);
    assert.doesNotMatch(refuses(t, { LATCHKEY_CONFIG: unterminated }, [/not valid JSON/]), /Zq8v/);
    const cases: [string, RegExp][] = [
      ['{"keyPrefix": "acme",}', /at line 1, column 22$/],
      ['{"keyPrefix" "acme"}', /at line 1, column 14$/],
      ['{\n  "keyPrefix": "acme"\n  "scopes": []\n}', /at line 3, column 3$/],
    ];
    for (const [text, position] of cases) refuses(t, { LATCHKEY_CONFIG: configFile(t, text) }, [/not valid JSON at /, position]);
  });

  it('reads a YAML file (by its extension) as its JSON twin, settings named like variables as written', (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'latchkey.config.yaml');
    writeFileSync(path, [
      '# Latchkey, staging',
      'LATCHKEY_PORT: 9000',
      'LATCHKEY_ROOT_TOKEN: 0123456789012345678901234567890123456789',
      'keyPrefix: acme',
      'scopes: [orders:read, orders:write]',
      'routes:',
      '  - path: /api/v1/m2m/tenants/:tenantId/orders',
      '    methods: [GET]',
      '    scopes: [orders:read]',
      '    upstream: http://127.0.0.1:3000',
      '    timeoutSeconds: 30',
      '',
    ].join('\n'));
    const config = loadConfig({ LATCHKEY_CONFIG: path });
    assert.equal(config.port, 9000);
    assert.equal(config.rootToken, '0123456789012345678901234567890123456789', 'digits stay text: not a number that loses some');
    assert.equal(config.keyPrefix, 'acme');
    assert.deepEqual(config.scopes, ['orders:read', 'orders:write']);
    assert.equal(config.routes[0]?.timeoutSeconds, 30);
    assert.deepEqual(config.routes[0]?.methods, ['GET']);

    const before = process.cwd();
    process.chdir(dir);
    try {
      assert.equal(loadConfig({}).keyPrefix, 'acme', './latchkey.config.yaml is read when LATCHKEY_CONFIG is unset');
    } finally {
      process.chdir(before);
    }
  });

  it('reports a YAML file that does not parse by its error code, line and column, quoting none of its text', (t) => {
    const secret = 'Zq8vN3xK5pW2rT7yL4mB9cD6fG1hJ0sA';
    const dir = tempDir(t);
    const broken = join(dir, 'latchkey.config.yml');
    writeFileSync(broken, `LATCHKEY_PORT: 9000\nscopes: [orders:read\nLATCHKEY_ROOT_TOKEN: ${secret}\n`);
    const message = refuses(t, { LATCHKEY_CONFIG: broken }, [/^LATCHKEY_CONFIG: .*latchkey\.config\.yml is not valid YAML \([A-Z_]+\) at line \d+, column \d+$/]);
    assert.doesNotMatch(message, /Zq8v/);
    const twice = join(dir, 'twice.yaml');
    writeFileSync(twice, 'LATCHKEY_PORT: 9000\nLATCHKEY_PORT: 9001\n');
    refuses(t, { LATCHKEY_CONFIG: twice }, [/not valid YAML \(DUPLICATE_KEY\) at line 2, column 1$/]);
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    refuses(t, { LATCHKEY_CONFIG: list }, [/must hold a YAML mapping of settings/]);
    const misspelt = join(dir, 'misspelt.yaml');
    writeFileSync(misspelt, 'keyprefix: acme\n');
    refuses(t, { LATCHKEY_CONFIG: misspelt }, [/unknown setting "keyprefix"/]);
  });

  it('refuses an unknown (misspelt) setting', (t) => {
    refuses(t, {}, [/LATCHKEY_CONFIG/, /unknown setting "keyprefix"/], { keyprefix: 'acme' });
    refuses(t, {}, [/unknown setting "LATCHKEY_PROT"/], { LATCHKEY_PROT: 9000 });
    assert.equal(load(t, {}, { $schema: './latchkey.schema.json' }).port, 8080);
  });

  it('refuses a bad keyPrefix', (t) => {
    for (const keyPrefix of ['a', 'Acme', '1abc', 'abcdefghijklm', 'ac_me']) refuses(t, {}, [/keyPrefix/, /2-12/], { keyPrefix });
    refuses(t, {}, [/keyPrefix must be a string/], { keyPrefix: 7 });
  });

  it('refuses plans that are not complete and consistent', (t) => {
    const bad: unknown[] = [
      null,
      'startup',
      { ...startup, name: undefined },
      { ...startup, name: 'Startup' },
      { ...startup, m2mApi: 'yes' },
      { ...startup, defaultRpm: 700 },
      { ...startup, maxRpm: -1 },
      { ...startup, maxLiveKeys: 2.5 },
      { ...startup, defaultRpm: 0 },
      { ...startup, neverExpiringKeys: undefined },
      { ...startup, maxKeyLifetimeDays: 0 },
      { ...startup, maxKeyLifetimeDays: 30.5 },
      { ...startup, maxKeyLifetimeDays: '90' },
      { ...startup, maxKeyLifetimeDays: 90, neverExpiringKeys: true },
    ];
    for (const plan of bad) refuses(t, {}, [/^plans: /], { plans: [plan] });
    assert.equal(load(t, {}, { plans: [{ ...startup, maxKeyLifetimeDays: 90 }] }).plans.find((p) => p.name === 'startup')?.maxKeyLifetimeDays, 90);
    refuses(t, {}, [/plans must be a list/], { plans: startup });
    // A plan without the M2M API has no rate limits to speak of.
    const closed = load(t, {}, { plans: [{ name: 'trial', m2mApi: false, defaultRpm: 0, maxRpm: 0, maxLiveKeys: 0, neverExpiringKeys: false }] });
    assert.equal(closed.plans.find((p) => p.name === 'trial')?.m2mApi, false);
  });

  it('keeps only the plan fields, not stray ones', (t) => {
    const config = load(t, {}, { plans: [{ ...startup, price: 10 }] });
    assert.deepEqual(config.plans.find((p) => p.name === 'startup'), startup);
  });

  it('refuses bad scopes', (t) => {
    refuses(t, {}, [/^scopes must be a list/], { scopes: ['Orders:read'] });
    refuses(t, {}, [/^scopes must be a list/], { scopes: 'orders:read' });
  });

  it('refuses bad routes, naming the route and the field', (t) => {
    const route = { path: '/api/v1/m2m/tenants/:tenantId/x', methods: ['GET', 'POST'], scopes: ['x:read'], upstream: 'http://127.0.0.1:3000' };
    const cases: [unknown, RegExp][] = [
      [null, /routes\[0\]\.path/],
      [{ ...route, path: 'api/x' }, /routes\[0\]\.path/],
      [{ ...route, upstream: 'ftp://x' }, /routes\[0\]\.upstream/],
      [{ ...route, upstream: undefined }, /routes\[0\]\.upstream/],
      [{ ...route, methods: [] }, /routes\[0\]\.methods/],
      [{ ...route, methods: ['FETCH'] }, /routes\[0\]\.methods/],
      [{ ...route, methods: 'GET' }, /routes\[0\]\.methods/],
      [{ ...route, scopes: ['X:read'] }, /routes\[0\]\.scopes/],
      [{ ...route, timeoutSeconds: 0 }, /routes\[0\]\.timeoutSeconds/],
      [{ ...route, timeoutSeconds: 3601 }, /routes\[0\]\.timeoutSeconds/],
      [{ ...route, timeoutSeconds: '30' }, /routes\[0\]\.timeoutSeconds/],
      [{ ...route, timeoutSeconds: 1.5 }, /routes\[0\]\.timeoutSeconds/],
      [{ ...route, scopes: null }, /routes\[0\]\.scopes/],
      [{ ...route, scopes: { GET: 'x:read' } }, /routes\[0\]\.scopes/],
      // A method left out of the map would need no scope at all; that must be said with [].
      [{ ...route, scopes: { GET: ['x:read'] } }, /routes\[0\]\.scopes has no entry for POST/],
      [{ ...route, scopes: { GET: ['x:read'], POST: ['x:write'], DELETE: ['x:admin'] } }, /routes\[0\]\.scopes names DELETE/],
    ];
    for (const [raw, message] of cases) refuses(t, {}, [message], { routes: [raw] });
    refuses(t, {}, [/routes\[1\]\.path/], { routes: [route, { ...route, path: '' }] });
    refuses(t, {}, [/^routes must be a list/], { routes: route });
  });

  it('takes [] for a method that needs no scope, and an explicit HEAD entry', (t) => {
    const route = { path: '/x', methods: ['GET', 'HEAD', 'POST'], scopes: { GET: ['x:read'], HEAD: [], post: [] }, upstream: 'http://127.0.0.1:3000' };
    assert.deepEqual(load(t, {}, { routes: [route] }).routes[0]?.scopes, { GET: ['x:read'], HEAD: [], POST: [] });
  });
});
