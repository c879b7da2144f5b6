// The HTTP edge of the verification pipeline for machine routes (M2M and gateway):
// credential -> verdict -> rate-limit headers and, on failure, the contract's error answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LatchkeyError } from '../core/errors.js';
import { rateLimitHeaders } from '../limits/rate-limit-headers.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { readCredential, sentTwice, twoAuthorizations } from '../verify/credential.js';
import type { EnvironmentResolver } from '../verify/environment-resolver.js';
import type { KeyVerifier } from '../verify/key-verifier.js';
import type { Verdict } from '../verify/verdict.js';
import { sendError } from './error-body.js';
import { toLatchkeyError } from './plugins/error-handler.js';

export interface MachineAuthDeps {
  verifier: KeyVerifier;
  environments: EnvironmentResolver;
  usage: UsageRecorder;
}

export interface MachineRequirement {
  tenantId?: string | undefined;
  customerId?: string | undefined;
  scopes?: readonly string[] | undefined;
}

/** A request that passed: what the route needs to answer. */
export type Accepted = Extract<Verdict, { ok: true }>;

export class MachineAuth {
  constructor(private readonly deps: MachineAuthDeps) {}

  /**
   * Verifies the request. On failure the error answer is sent and `undefined` returned; on success
   * the rate-limit headers are set and the verdict returned. Synchronous when the key is cached.
   */
  check(request: FastifyRequest, reply: FastifyReply, requirement: MachineRequirement): Accepted | undefined | Promise<Accepted | undefined> {
    const credential = request.headers.authorization !== undefined && sentTwice(request.raw.rawHeaders, 'authorization')
      ? twoAuthorizations()
      : readCredential(request.url, request.headers);
    if (!credential.ok) {
      this.fail(request, reply, { ok: false, code: credential.code, ...(credential.details ? { details: credential.details } : {}), ...(credential.fields ? { fields: credential.fields } : {}) });
      return undefined;
    }
    const verdict = this.deps.verifier.verify({
      secret: credential.secret,
      environment: this.deps.environments.resolve(request.headers.host),
      ip: request.ip,
      tenantId: requirement.tenantId,
      customerId: requirement.customerId,
      scopes: requirement.scopes,
      nowMs: Date.now(),
    });
    return verdict instanceof Promise ? verdict.then((v) => this.settle(request, reply, v), (error: unknown) => this.broke(request, reply, error)) : this.settle(request, reply, verdict);
  }

  /** Verifies, then answers 200 with `respond(accepted)`: the whole of a simple machine route. */
  answer(request: FastifyRequest, reply: FastifyReply, requirement: MachineRequirement, respond: (accepted: Accepted) => unknown): void | Promise<void> {
    const checked = this.check(request, reply, requirement);
    // No closure for the common, synchronous case: this runs on every request.
    if (checked instanceof Promise) return checked.then((accepted) => this.send(request, reply, accepted, respond));
    this.send(request, reply, checked, respond);
  }

  /**
   * Hands a finished request to the usage writers (request log, last use, counters). `ip` is the client's as read
   * when the request came: once a request with a body has ended, its socket may be gone.
   */
  record(request: FastifyRequest, reply: FastifyReply, verdict: Verdict, status: number, ip: string = request.ip): void {
    const key = verdict.entry?.key;
    const latencyMs = Math.round(reply.elapsedTime * 100) / 100;
    this.deps.usage.record({
      id: request.id,
      at: Date.now() - Math.round(latencyMs),
      tenantId: key?.tenantId ?? null,
      keyId: key?.id ?? null,
      method: request.method,
      path: pathOf(request.url),
      status,
      code: verdict.code,
      latencyMs,
      ip,
      environment: this.deps.environments.resolve(request.headers.host),
    });
  }

  private send(request: FastifyRequest, reply: FastifyReply, accepted: Accepted | undefined, respond: (accepted: Accepted) => unknown): void {
    if (!accepted) return;
    this.record(request, reply, accepted, 200);
    reply.send(respond(accepted));
  }

  private settle(request: FastifyRequest, reply: FastifyReply, verdict: Verdict): Accepted | undefined {
    if (verdict.rate) reply.headers(rateLimitHeaders(verdict.rate));
    if (verdict.ok) return verdict;
    this.fail(request, reply, verdict);
    return undefined;
  }

  /**
   * A verification that could not be decided (storage out of reach on a cache miss): counted like any answer, so that
   * the metrics' `unavailable` series shows a database outage, then thrown on to the error handler, which logs it
   * (once per outage) and answers.
   */
  private broke(request: FastifyRequest, reply: FastifyReply, error: unknown): never {
    this.record(request, reply, { ok: false, code: 'unavailable' }, toLatchkeyError(error).status);
    throw error;
  }

  private fail(request: FastifyRequest, reply: FastifyReply, verdict: Extract<Verdict, { ok: false }>): void {
    const error = new LatchkeyError(verdict.code, verdict.details, verdict.fields ? { fields: verdict.fields } : undefined);
    this.record(request, reply, verdict, error.status);
    sendError(request, reply, error);
  }
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
