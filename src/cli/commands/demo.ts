// `latchkey demo`: a demo tenant with members, keys in each environment (one inactive, one revoked, one
// rotated pair) and a week of traffic, so that every dashboard page has something to show.
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import type { ApiKey, Tenant } from '../../core/api-key.js';
import type { Environment } from '../../core/environments.js';
import { newId } from '../../core/ids.js';
import { type Clock, CLI_CONTEXT } from '../../manage/context.js';
import type { Services } from '../../services.js';
import type { Role } from '../../store/member-store.js';
import type { CliContext } from '../cli-context.js';
import { CliFailure } from '../cli-errors.js';
import { table } from '../output.js';
import { presentKey, presentTenant } from '../presenters.js';

export const DEMO_TENANT = 'Acme Logistics';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const MEMBERS: [string, Role][] = [
  ['olivia.owner@example.com', 'owner'],
  ['adam.admin@example.com', 'admin'],
  ['dana.developer@example.com', 'developer'],
  ['victor.viewer@example.com', 'viewer'],
];

interface KeySpec {
  name: string;
  environment: Environment;
  scopes: string[];
  rpm: number;
  allowedIps?: string[];
  /** Requests per hour in working hours (08-18 UTC) and outside them. */
  busy: number;
  quiet: number;
}

const KEYS = {
  orderBot: { name: 'prod-order-bot', environment: 'production', scopes: ['orders:read', 'orders:write', 'customers:read'], rpm: 600, busy: 40, quiet: 8 },
  reporting: { name: 'prod-reporting', environment: 'production', scopes: ['orders:read', 'customers:read'], rpm: 120, busy: 10, quiet: 4 },
  stagingCi: { name: 'staging-ci', environment: 'staging', scopes: ['orders:read', 'orders:write'], rpm: 100, busy: 12, quiet: 1 },
  devLaptop: { name: 'dev-laptop', environment: 'development', scopes: ['sites:read'], rpm: 60, allowedIps: ['203.0.113.0/24'], busy: 6, quiet: 0 },
  legacySync: { name: 'prod-legacy-sync', environment: 'production', scopes: ['customers:read'], rpm: 100, busy: 5, quiet: 5 },
  oldPartner: { name: 'prod-old-partner', environment: 'production', scopes: ['orders:read'], rpm: 100, busy: 6, quiet: 2 },
} satisfies Record<string, KeySpec>;

const STATUS_OF: Record<string, number> = {
  valid: 200, rate_limited: 429, insufficient_scope: 403, ip_not_allowed: 403, revoked_api_key: 401, inactive_api_key: 401,
};

/** A clock the demo moves, so that audit entries and creation times spread over the past week. */
class DemoClock implements Clock {
  constructor(public at: number) {}
  now(): Date {
    return new Date(this.at);
  }
}

/** The same numbers on every run (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seeded {
  tenant: Tenant;
  keys: ApiKey[];
  requests: number;
  trySecret: string;
}

async function seed(s: Services, clock: DemoClock, end: number): Promise<Seeded> {
  clock.at = end - 50 * DAY;
  const tenant = await s.tenants.create({ name: DEMO_TENANT, plan: 'pro' }, CLI_CONTEXT);
  for (const [email, role] of MEMBERS) await s.members.add(tenant.id, { email, role }, CLI_CONTEXT);
  // A key nobody has used for weeks: the dashboard flags it as possibly orphaned.
  clock.at = end - 45 * DAY;
  const forgotten = await s.keys.create(tenant.id, { name: 'prod-nightly-export', environment: 'production', scopes: ['orders:read'] }, CLI_CONTEXT);
  clock.at = end - 8 * DAY;

  const made = new Map<KeySpec, ApiKey>();
  let trySecret = '';
  for (const spec of Object.values(KEYS) as KeySpec[]) {
    clock.at += 10 * 60_000;
    const issued = await s.keys.create(tenant.id, {
      name: spec.name, environment: spec.environment, scopes: spec.scopes,
      rateLimit: { requestsPerMinute: spec.rpm }, allowedIps: spec.allowedIps,
    }, CLI_CONTEXT);
    made.set(spec, issued.key);
    if (spec === KEYS.orderBot) trySecret = issued.secret;
  }
  const keyOf = (spec: KeySpec): ApiKey => made.get(spec) as ApiKey;

  // The lifecycle a real week would show: a deactivation, a revocation, a rotation whose traffic moved.
  const deactivatedAt = end - 4 * DAY;
  const revokedAt = end - 3 * DAY;
  const rotatedAt = end - 2 * DAY;
  clock.at = deactivatedAt;
  await s.keys.deactivate(tenant.id, keyOf(KEYS.legacySync).id, CLI_CONTEXT);
  clock.at = revokedAt;
  await s.keys.revoke(tenant.id, keyOf(KEYS.oldPartner).id, CLI_CONTEXT);
  clock.at = rotatedAt;
  const rotated = await s.keys.rotate(tenant.id, keyOf(KEYS.reporting).id, undefined, CLI_CONTEXT);

  const random = seededRandom(7);
  let requests = 0;
  const send = (key: ApiKey, at: number, code: string, ipSuffix: number) => {
    const route = ['/api/orders', '/api/orders/1042', '/api/customers', `/api/v1/m2m/tenants/${tenant.id}/limits`][Math.floor(random() * 4)] ?? '/api/orders';
    s.usageWriter.record({
      id: newId('req'), at, tenantId: tenant.id, keyId: key.id,
      method: route.startsWith('/api/orders') && random() < 0.3 ? 'POST' : 'GET', path: route,
      status: STATUS_OF[code] ?? 200, code, latencyMs: Math.round(2 + random() * 40), ip: `203.0.113.${ipSuffix}`, environment: key.environment,
    });
    requests++;
  };
  const healthy = (spec: KeySpec): string => {
    const r = random();
    if (r < 0.03) return 'rate_limited';
    if (r < 0.04) return 'insufficient_scope';
    if (spec.allowedIps && r < 0.06) return 'ip_not_allowed';
    return 'valid';
  };

  for (let hourStart = end - 7 * DAY; hourStart < end; hourStart += HOUR) {
    const utcHour = new Date(hourStart).getUTCHours();
    const working = utcHour >= 8 && utcHour <= 18;
    for (const [index, spec] of (Object.values(KEYS) as KeySpec[]).entries()) {
      const count = Math.round((working ? spec.busy : spec.quiet) * (0.6 + random() * 0.8));
      for (let n = 0; n < count; n++) {
        const at = Math.min(end - 1000, hourStart + Math.floor(random() * HOUR));
        let key = keyOf(spec);
        let code = healthy(spec);
        if (spec === KEYS.reporting && at >= rotatedAt) {
          // After the rotation the traffic moves to the new key, but for a few stragglers.
          if (at > rotatedAt + 3 * HOUR || random() < 0.7) key = rotated.key;
        } else if (spec === KEYS.legacySync && at >= deactivatedAt) {
          if (random() > 0.1) continue;
          code = 'inactive_api_key';
        } else if (spec === KEYS.oldPartner && at >= revokedAt) {
          if (random() > 0.1) continue;
          code = 'revoked_api_key';
        }
        send(key, at, code, 10 + index);
      }
    }
  }
  send(forgotten.key, end - 40 * DAY - HOUR, 'valid', 99);
  await s.usageWriter.flush();
  // The writer never throws: it keeps what it could not write. The demo must not claim data it lacks.
  if (s.usageWriter.queueDepth > 0) throw new CliFailure('failed', 'could not write the demo traffic to the database; see LATCHKEY_LOG_LEVEL=warn for why');

  const keys = await s.keys.list(tenant.id, { limit: 100 }, {});
  return { tenant, keys: keys.data, requests, trySecret };
}

async function findDemoTenant(s: Services): Promise<Tenant | undefined> {
  let cursor: string | undefined;
  do {
    const page = await s.tenants.list({ limit: 100, cursor });
    const found = page.data.find((t) => t.name === DEMO_TENANT);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description(`fill the database with a demo tenant (${DEMO_TENANT}), members, keys and a week of traffic`)
    .action(async () => {
      const end = Date.now();
      const clock = new DemoClock(end);
      const outcome = await ctx.withServices(async (s) => {
        const existing = await findDemoTenant(s);
        if (existing) return { existing };
        return { seeded: await seed(s, clock, end) };
      }, { clock });

      if (outcome.existing) {
        const { existing } = outcome;
        ctx.out.result(
          { created: false, tenant: presentTenant(existing) },
          `The demo tenant ${DEMO_TENANT} is already there (${existing.id}); nothing added. See it with: npx latchkey key list --tenant ${existing.id}`,
        );
        return;
      }
      const { tenant, keys, requests, trySecret } = outcome.seeded;
      const at = new Date().toISOString();
      const wire = keys.map((k) => presentKey(k, at));
      ctx.out.result(
        {
          created: true,
          tenant: presentTenant(tenant),
          members: MEMBERS.map(([email, role]) => ({ email, role })),
          keys: wire,
          requests,
          try_secret: trySecret,
        },
        [
          `Demo tenant ${DEMO_TENANT}: ${tenant.id} (plan ${tenant.plan})`,
          `Members: ${MEMBERS.map(([email, role]) => `${email} (${role})`).join(', ')}`,
          '',
          table(['ID', 'NAME', 'ENV', 'STATUS', 'ROTATED TO'], wire.map((k) => [k.id, k.name, k.environment, k.status, k.rotated_to ?? ''])),
          '',
          `Traffic: ${requests} requests over the last 7 days (request logs and usage charts).`,
          `Try the M2M API with the secret of ${KEYS.orderBot.name} (shown only now):`,
          // In the environment, not --key: the key stays out of ps and (with a leading space) shell history.
          `  LATCHKEY_API_KEY=${trySecret} npx latchkey check --url ${serverUrl(ctx.config())} --tenant ${tenant.id}`,
          'Open the dashboard and sign in as an operator (admin@localhost on a fresh install) to see it all.',
        ].join('\n'),
      );
    });
}

/** Where `latchkey serve` will listen with this config: the URL a check on this machine should use. */
function serverUrl(config: Config): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `${config.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
