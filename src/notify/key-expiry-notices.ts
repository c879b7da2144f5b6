// Mails a tenant's owners and admins about its API keys that expire soon, once per key and expiry, so that nobody
// learns of an expiry from their clients' 401s. Every node runs it; the notice store's claims keep it to one mail.
import type { ApiKey } from '../core/api-key.js';
import { toStored, toWire } from '../core/time.js';
import type { Clock } from '../manage/context.js';
import type { ExpiringKey, ExpiryNoticeStore } from '../store/expiry-notice-store.js';
import type { MemberStore } from '../store/member-store.js';
import { escapeHtml, type Mail, type Mailer } from './mailer.js';

/** Keys read per query; a run reads on until none are left. */
const KEYS_PER_READ = 200;
const DAY_MS = 86_400_000;
/** Who is told: those who can rotate a key or change its expiry. */
const TOLD_ROLES = new Set(['owner', 'admin']);

export interface KeyExpiryNoticeDeps {
  store: ExpiryNoticeStore;
  members: Pick<MemberStore, 'listMembers'>;
  mailer: Mailer;
  clock: Clock;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** How long before its expiry a key is noticed (LATCHKEY_KEY_EXPIRY_NOTICE_DAYS). */
  days: number;
  /** Where the dashboard is (LATCHKEY_PUBLIC_URL), for links; none without it. */
  dashboardUrl: string | undefined;
}

export class KeyExpiryNotices {
  constructor(private readonly deps: KeyExpiryNoticeDeps) {}

  /** Sends the notices due now; returns how many keys were noticed. A tenant whose mail fails is tried again next run. */
  async run(): Promise<number> {
    const { store, clock, days } = this.deps;
    const now = clock.now();
    const from = toStored(now);
    const until = toStored(new Date(now.getTime() + days * DAY_MS));
    let noticed = 0;
    for (;;) {
      const due = await store.unnoticed(from, until, KEYS_PER_READ);
      let read = 0;
      for (const [tenantId, keys] of byTenant(due)) read += await this.notice(tenantId, keys, from);
      noticed += read;
      // A key read again is one whose mail failed (given back): it waits for the next run, as does the rest.
      if (due.length < KEYS_PER_READ || read === 0) return noticed;
    }
  }

  private async notice(tenantId: string, keys: ExpiringKey[], at: string): Promise<number> {
    const { store, members, mailer, logger } = this.deps;
    const claimed: ApiKey[] = [];
    for (const { key } of keys) if (key.expiresAt !== null && (await store.claim(key.id, key.expiresAt, at))) claimed.push(key);
    if (claimed.length === 0) return 0;
    const tenantName = keys[0]!.tenantName;
    const recipients = (await members.listMembers(tenantId)).filter((member) => TOLD_ROLES.has(member.role)).map((member) => member.user.email);
    const keyIds = claimed.map((key) => key.id);
    if (recipients.length === 0) {
      logger.info({ tenantId, keyIds }, 'keys expire soon, but the tenant has no owner or admin to tell');
      return claimed.length;
    }
    try {
      for (const to of recipients) await mailer.send(this.mail(to, tenantId, tenantName, claimed));
    } catch (error) {
      for (const key of claimed) await store.release(key.id, key.expiresAt!);
      logger.warn({ err: error, tenantId, keyIds }, 'mailing key expiry notices failed; they are sent at a later run');
      return 0;
    }
    logger.info({ tenantId, keyIds, recipients: recipients.length }, 'mailed key expiry notices');
    return claimed.length;
  }

  private mail(to: string, tenantId: string, tenantName: string, keys: ApiKey[]): Mail {
    const base = this.deps.dashboardUrl?.replace(/\/+$/, '');
    const link = (key: ApiKey) => (base === undefined ? undefined : `${base}/keys/${encodeURIComponent(key.id)}?tenant=${encodeURIComponent(tenantId)}`);
    const subject = keys.length === 1
      ? `Latchkey: the API key ${keys[0]!.name} of ${tenantName} expires ${day(keys[0]!)}`
      : `Latchkey: ${keys.length} API keys of ${tenantName} expire within ${this.deps.days} days`;
    const line = (key: ApiKey) => `${key.name} (${key.environment}, ${key.start}…${key.end}) expires ${when(key)}`;
    const intro = keys.length === 1
      ? `This API key of ${tenantName} expires soon. From then on, a client that still sends it is refused (401 expired_api_key).`
      : `These API keys of ${tenantName} expire soon. From then on, a client that still sends one is refused (401 expired_api_key).`;
    const advice = 'Rotate a key to give its clients a successor with the same settings, or give it a later expiry.';
    const why = `You get this mail as an owner or admin of ${tenantName} in Latchkey.`;
    const text = [intro, '', ...keys.map((key) => `- ${line(key)}${link(key) ? `\n  ${link(key)}` : ''}`), '', advice, '', why, ''].join('\n');
    const html = [
      '<!doctype html><html><body style="font-family: system-ui, sans-serif; color: #1a1a1a">',
      `<p>${escapeHtml(intro)}</p>`,
      '<ul>',
      ...keys.map((key) => {
        const href = link(key);
        const name = href === undefined ? escapeHtml(key.name) : `<a href="${escapeHtml(href)}">${escapeHtml(key.name)}</a>`;
        return `<li>${name} (${escapeHtml(key.environment)}, <code>${escapeHtml(`${key.start}…${key.end}`)}</code>) expires ${escapeHtml(when(key))}</li>`;
      }),
      '</ul>',
      `<p>${escapeHtml(advice)}</p>`,
      `<p style="color: #555">${escapeHtml(why)}</p>`,
      '</body></html>',
    ].join('\n');
    return { to, subject, text, html };
  }
}

function byTenant(due: ExpiringKey[]): Map<string, ExpiringKey[]> {
  const groups = new Map<string, ExpiringKey[]>();
  for (const item of due) {
    const group = groups.get(item.key.tenantId);
    if (group) group.push(item);
    else groups.set(item.key.tenantId, [item]);
  }
  return groups;
}

/** "on 2026-12-08 at 14:00 UTC" */
function when(key: ApiKey): string {
  const wire = toWire(key.expiresAt!);
  return `on ${wire.slice(0, 10)} at ${wire.slice(11, 16)} UTC`;
}

function day(key: ApiKey): string {
  return `on ${toWire(key.expiresAt!).slice(0, 10)}`;
}
