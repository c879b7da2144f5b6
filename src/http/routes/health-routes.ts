// Liveness, readiness and the deployment facts the dashboard needs.
import { Type } from 'typebox';
import type { Config } from '../../config.js';
import type { PlanCatalog } from '../../core/plans.js';
import type { ChannelName } from '../../otp/otp-channel.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../error-body.js';
import { errorResponses } from '../schemas/common.js';
import { Deployment } from '../schemas/deployment-schemas.js';
import type { TypedApp } from '../typed-app.js';

export interface ReadinessCheck {
  /** Names each dependency and whether it answers. */
  check(): Promise<Record<string, boolean>>;
}

export function registerHealthRoutes(app: TypedApp, readiness: ReadinessCheck): void {
  app.get('/healthz', {
    schema: { tags: ['health'], operationId: 'getLiveness', summary: 'Liveness: the process answers', security: [], response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    schema: {
      tags: ['health'],
      operationId: 'getReadiness',
      summary: 'Readiness: storage (and Redis when configured) reachable',
      security: [],
      response: { 200: Type.Object({ status: Type.Literal('ready'), checks: Type.Record(Type.String(), Type.Boolean()) }), 503: Type.Object({ status: Type.Literal('unavailable'), checks: Type.Record(Type.String(), Type.Boolean()) }) },
    },
  }, async (_request, reply) => {
    const checks = await readiness.check();
    const ready = Object.values(checks).every(Boolean);
    // Like every 503 (error-body): when to ask again.
    if (!ready) reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
}

export function registerDeploymentRoute(app: TypedApp, config: Config, plans: PlanCatalog, otpChannels: () => ChannelName[]): void {
  app.get('/v1/deployment', {
    config: { access: { allow: 'signed-in' } },
    schema: {
      tags: ['deployment'],
      operationId: 'getDeployment',
      summary: "This deployment's environment, scope list, plans, sign-in channels and request-log setting (for the dashboard)",
      response: {
        200: Deployment,
        ...errorResponses(401),
      },
    },
  }, async (request) => ({
    environment: config.environment,
    scopes: config.scopes,
    plans: plans.list().map((p) => ({ name: p.name, m2m_api: p.m2mApi, default_rpm: p.defaultRpm, max_rpm: p.maxRpm, max_live_keys: p.maxLiveKeys, never_expiring_keys: p.neverExpiringKeys, max_key_lifetime_days: p.maxKeyLifetimeDays ?? null })),
    public_url: config.publicUrl ?? `${request.protocol}://${request.host}`,
    otp_channels: otpChannels(),
    request_log: config.requestLog,
  }));
}
