// `latchkey check`: the connectivity check of CONTRACT section 4, with every failure explained in plain words.
import type { Command } from 'commander';
import { keyHint, parseKey } from '../../core/key-format.js';
import { redactSecretsIn } from '../../core/redaction.js';
import { positiveCount } from '../arguments.js';
import type { CliContext } from '../cli-context.js';
import { CliFailure, CliUsageError } from '../cli-errors.js';

/** What each answer of the contract means for someone setting up a client, and what to do. */
const EXPLANATIONS: Record<string, string> = {
  missing_api_key: 'The server received no key. Clients send it in the X-API-Key header (or as Authorization: Bearer <key>); a proxy in between may be dropping the header.',
  malformed_api_key: 'The key does not have the Latchkey format (<prefix>_<live|test|dev>_<38 characters>) or its checksum is wrong: it was probably cut off or mistyped when copied. Copy it again, whole.',
  invalid_api_key: 'The key is well-formed but this server does not know it: it belongs to another Latchkey deployment or database, or it was regenerated (the old secret stops at once). Use the newest secret of the key.',
  expired_api_key: 'The key is past its expiry date, or past the grace period of a rotation. Switch the client to the newer key, or create a new one.',
  revoked_api_key: 'The key was revoked and can never work again. Create a new key (npx latchkey key create) and switch the client to it.',
  inactive_api_key: 'The key is deactivated. An owner or admin can activate it again (npx latchkey key activate <key id>), or use another key.',
  wrong_environment: 'The key belongs to another environment than the one this server serves (for example a staging key, lk_test_..., against production). Use a key of that environment, or the URL of the server for the key\'s environment.',
  tenant_not_active: 'The tenant is pending or suspended, so none of its keys work. Ask the operator to activate it (npx latchkey tenant update <tenant id> --status active).',
  plan_not_permitted: "The tenant's plan has no machine-to-machine API access (the free plan, say). Move the tenant to a plan with API access (npx latchkey tenant update <tenant id> --plan standard).",
  ip_not_allowed: "The address this call came from is not in the key's allowed IPs. Call from an allowed address, or add this one to the key's allowed_ips (behind a proxy, the server must trust it: LATCHKEY_TRUST_PROXY).",
  insufficient_scope: 'The key lacks a scope this call needs. Add the scope to the key.',
  not_found: 'The key is valid, but the tenant id is wrong or the key belongs to another tenant. Check --tenant: it must be the id (ten_...) of the tenant that owns the key.',
  rate_limited: 'The key is over its rate limit. Wait the number of seconds in Retry-After and send requests more slowly, or raise the key\'s requests per minute.',
  unavailable: 'The server could not decide the request safely: its database or Redis is unreachable. Retry shortly; if it persists, the operator should check /readyz and the server log.',
  api_key_in_query: 'The URL itself carries something that looks like a key. Keys must travel only in the X-API-Key header; remove it from --url.',
  invalid_request: 'The server refused the request as invalid: X-API-Key and Authorization carried different keys, or the URL is malformed (a % not followed by two hex digits, say). Check --url and --tenant.',
};

interface LimitsBody {
  tenant_id: string;
  plan: string;
  environment: string;
  key: { id: string; name: string; scopes: string[]; expires_at: string | null };
  rate_limit: { limit: number; remaining: number; reset: number; window: number };
}

/** Only the display hint of the key (as the dashboard shows it); never the key. */
export function describeKey(key: string): string {
  if (!parseKey(key)) return `${articleFor(key.length)} ${key.length}-character value that is not a valid Latchkey key`;
  const { start, end } = keyHint(key);
  return `${start}…${end}`;
}

/** "a" or "an" before `n` written in digits, as it is read aloud: an 8-, an 11-, an 18-, an 80-, an 800-, a 12-character. */
export function articleFor(n: number): 'a' | 'an' {
  // Read by its leading group of three digits (11,000 is "eleven thousand"), and that group by its hundreds.
  let lead = Math.floor(Math.abs(n));
  while (lead >= 1000) lead = Math.floor(lead / 1000);
  if (lead >= 100) lead = Math.floor(lead / 100);
  return lead === 8 || lead === 11 || lead === 18 || (lead >= 80 && lead <= 89) ? 'an' : 'a';
}

/** Why a request never got an answer, and what to try. */
export function explainUnreachable(url: URL, error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  // Node's errors name themselves in `code`; a DOMException (the timeout's) has a number there and its name in `name`.
  const ownCode = (cause as { code?: unknown } | undefined)?.code;
  const code = typeof ownCode === 'string' ? ownCode : cause instanceof Error ? cause.name : '';
  const where = `${url.protocol}//${url.host}`;
  if (code === 'ECONNREFUSED') return `Nothing is listening at ${where} (connection refused). Is the server running (npm start, latchkey serve), and are the host and port in --url right?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host name ${url.hostname} does not resolve (DNS lookup failed). Check the spelling of --url and your network or DNS settings.`;
  if (code === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `${where} did not answer in time. A firewall may drop the connection, or the server is overloaded; check --url and the network.`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return `The TLS certificate of ${where} is not trusted (${code}). For a self-signed certificate or a private CA, run with NODE_EXTRA_CA_CERTS=<ca.pem>; or check that --url names the host the certificate is for.`;
  if (code === 'EPROTO' || /SSL|WRONG_VERSION/.test(code)) return `${where} does not speak HTTPS. The server probably runs plain HTTP: try http:// in --url.`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return url.protocol === 'http:'
      ? `${where} closed the connection without an answer. If the server runs HTTPS (LATCHKEY_TLS_CERT is set), use https:// in --url.`
      : `${where} closed the connection without an answer. Check --url and any proxy in between.`;
  }
  const message = redactSecretsIn(cause instanceof Error ? cause.message : String(cause));
  return `Cannot reach ${where} (${message}). Check --url and that the server is running.`;
}

/** Latchkey's answer for a path it has no route for (its not-found handler), unlike a refused tenant. */
function isNoSuchRoute(body: unknown): boolean {
  const details = (body as { details?: unknown } | undefined)?.details;
  return typeof details === 'string' && details.startsWith('No such route');
}

function isLimitsBody(body: unknown): body is LimitsBody {
  const b = body as Partial<LimitsBody> | null;
  return typeof b?.tenant_id === 'string' && typeof b.key?.name === 'string' && Array.isArray(b.key.scopes) && typeof b.rate_limit?.limit === 'number';
}

export function registerCheckCommand(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .description('run the M2M connectivity check with a key, as a client would, and explain the answer')
    .requiredOption('--url <url>', 'base URL of the Latchkey server, e.g. http://127.0.0.1:8080')
    .option('--key <key>', 'the API key to test, never printed back (or set LATCHKEY_API_KEY, which keeps it out of ps and shell history)')
    .requiredOption('--tenant <tenant-id>', 'the tenant the key belongs to')
    .option('--timeout <seconds>', 'how long to wait for an answer', positiveCount, 10)
    .action(async (opts: { url: string; key?: string; tenant: string; timeout: number }) => {
      // Blanks around it (a file with CRLF line ends) are no part of a key; fetch would drop them too.
      const secret = (opts.key ?? ctx.io.env.LATCHKEY_API_KEY)?.trim();
      if (!secret) throw new CliUsageError("required option '--key <key>' not specified (or set LATCHKEY_API_KEY)");
      // fetch would refuse it before sending, and quote it whole in its error.
      if (!/^[\x21-\x7e]+$/.test(secret)) {
        throw new CliUsageError(`the key holds characters an HTTP header cannot carry (a line break, a blank or a non-ASCII character); pass one key (${describeKey(secret)})`);
      }
      if (!URL.canParse(opts.url) || !/^https?:$/.test(new URL(opts.url).protocol)) {
        throw new CliUsageError(`option '--url <url>' must be an http:// or https:// URL, got "${opts.url}"`);
      }
      const base = new URL(opts.url);
      const url = new URL(`${base.pathname.replace(/\/$/, '')}/api/v1/m2m/tenants/${encodeURIComponent(opts.tenant)}/limits`, base);
      const hint = describeKey(secret);

      let res: Response;
      try {
        res = await fetch(url, { headers: { 'x-api-key': secret, accept: 'application/json' }, signal: AbortSignal.timeout(opts.timeout * 1000) });
      } catch (error) {
        const explanation = explainUnreachable(base, error);
        ctx.out.result({ ok: false, status: null, code: 'unreachable', explanation }, `Checked key ${hint} for tenant ${redactSecretsIn(opts.tenant)} at ${redactSecretsIn(opts.url)}: no answer.`);
        throw new CliFailure('unreachable', explanation);
      }
      const body: unknown = await res.json().catch(() => undefined);
      const requestId = res.headers.get('x-request-id');

      if (res.ok && isLimitsBody(body)) {
        const { key, rate_limit: rate } = body;
        const resetIn = Math.max(0, rate.reset - Math.floor(Date.now() / 1000));
        ctx.out.result({ ok: true, status: res.status, ...body }, [
          `OK: the key ${hint} works for tenant ${body.tenant_id}.`,
          `  plan:         ${body.plan}`,
          `  environment:  ${body.environment}`,
          `  key:          ${key.name} (${key.id}), expires ${key.expires_at ?? 'never'}`,
          `  scopes:       ${key.scopes.length ? key.scopes.join(', ') : '(none)'}`,
          `  rate limit:   ${rate.limit} requests per ${rate.window} s; ${rate.remaining} left now, full again in ${resetIn} s`,
        ].join('\n'));
        return;
      }

      const code = typeof (body as { code?: unknown } | undefined)?.code === 'string' ? (body as { code: string }).code : undefined;
      const retryAfter = res.headers.get('retry-after');
      let explanation: string;
      if (code === undefined) {
        explanation = `The answer (HTTP ${res.status}) did not come from Latchkey's M2M API. Check that --url is the base URL of the Latchkey server itself (not a proxy page or another service).`;
      } else if (code === 'not_found' && isNoSuchRoute(body)) {
        // The key was never checked: the path in --url sent the call past the M2M API.
        explanation = `The server has no route at ${url.pathname}, so the key was not checked. --url must be the server's base URL (e.g. http://127.0.0.1:8080, or the path a proxy serves Latchkey under), without a page such as /keys or /healthz: the check adds /api/v1/m2m/tenants/<tenant>/limits itself.`;
      } else {
        explanation = EXPLANATIONS[code] ?? String((body as { details?: unknown }).details ?? 'The server refused the request.');
        if (code === 'rate_limited' && retryAfter) explanation += ` Retry-After: ${retryAfter} s.`;
      }
      const failureCode = code ?? 'unexpected_response';
      ctx.out.result(
        { ok: false, status: res.status, code: failureCode, details: (body as { details?: unknown } | undefined)?.details ?? null, explanation, request_id: requestId, ...(retryAfter ? { retry_after: Number(retryAfter) } : {}) },
        `Checked key ${hint} for tenant ${redactSecretsIn(opts.tenant)} at ${redactSecretsIn(opts.url)}: refused.`,
      );
      throw new CliFailure(failureCode, `${res.status} ${failureCode}: ${explanation}${requestId ? ` (request ${requestId})` : ''}`);
    });
}
