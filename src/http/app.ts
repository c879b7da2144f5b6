// buildApp(services): the whole HTTP API as a Fastify instance. It never listens; `serve` does.
import { existsSync, readFileSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Config } from '../config.js';
import type { PlanCatalog } from '../core/plans.js';
import type { Clock } from '../manage/context.js';
import type { KeyService } from '../manage/key-service.js';
import type { MemberService } from '../manage/member-service.js';
import type { RootTokenService } from '../manage/root-token-service.js';
import type { TenantService } from '../manage/tenant-service.js';
import type { ChannelName } from '../otp/otp-channel.js';
import type { AuditStore } from '../store/audit-store.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { EnvironmentResolver } from '../verify/environment-resolver.js';
import type { KeyVerifier } from '../verify/key-verifier.js';
import { answerClientError, refuseConnect, refuseExpectation } from './client-error.js';
import { jsonBodyParser } from './json-body.js';
import { MachineAuth } from './machine-auth.js';
import { documentImpliedErrors } from './openapi-implied-errors.js';
import { finishingDocument } from './openapi-finishing.js';
import { OPENAPI_TAGS } from './openapi-tags.js';
import { optionalBodies } from './openapi-optional-bodies.js';
import { documentResponseHeaders } from './openapi-response-headers.js';
import type { SessionAuthenticator } from './principal.js';
import { answerFrameworkError, registerErrorHandling } from './plugins/error-handler.js';
import { registerManagementAuth } from './plugins/management-auth.js';
import { registerNoStore } from './plugins/no-store.js';
import { registerRequestId, requestIdGenerator } from './plugins/request-id.js';
import { NO_NODE_HOST_CHECK, registerHostHeaderCheck } from './plugins/host-header.js';
import { registerValidation } from './plugins/validation.js';
import { registerAuditRoutes } from './routes/audit-routes.js';
import { type ReadinessCheck, registerDeploymentRoute, registerHealthRoutes } from './routes/health-routes.js';
import { registerKeyRoutes } from './routes/key-routes.js';
import { registerGatewayRoutes } from './routes/gateway-routes.js';
import { registerM2mRoutes } from './routes/m2m-routes.js';
import { registerMemberRoutes } from './routes/member-routes.js';
import { registerTenantRoutes } from './routes/tenant-routes.js';
import { registerVerifyRoutes } from './routes/verify-routes.js';
import { ErrorBody } from './schemas/common.js';
import { ApiKey } from './schemas/key-schemas.js';
import { AuditEntry, Member, Tenant } from './schemas/tenant-schemas.js';
import type { TypedApp } from './typed-app.js';

/** What the HTTP edge uses; `buildServices` makes it from the config. */
export interface AppServices {
  config: Config;
  logger: FastifyBaseLogger;
  clock: Clock;
  plans: PlanCatalog;
  tenants: TenantService;
  keys: KeyService;
  members: MemberService;
  rootTokens: RootTokenService;
  auditStore: AuditStore;
  verifier: KeyVerifier;
  environments: EnvironmentResolver;
  usage: UsageRecorder;
  readiness: ReadinessCheck;
  sessions?: SessionAuthenticator | undefined;
  /** Adds routes owned by other modules (auth, request logs, metrics, gateway, dashboard). */
  extraRoutes?: ((app: TypedApp) => void | Promise<void>)[] | undefined;
  otpChannels?: () => ChannelName[];
  /** Directory of the built dashboard; served at `/` when it exists. */
  dashboardDir?: string | undefined;
}

const SHARED_SCHEMAS = [ErrorBody, ApiKey, Tenant, Member, AuditEntry];

export async function buildApp(services: AppServices): Promise<TypedApp> {
  const { config } = services;
  // One generator for parsed requests and for those Node refuses before Fastify sees them.
  const nextRequestId = requestIdGenerator();
  const requestTimeoutMs = config.requestTimeoutSeconds * 1000;
  // Node looks for requests over their time every 30 s by default; a short limit is kept to within a second or so.
  const serverOptions = { ...NO_NODE_HOST_CHECK, connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeoutMs / 4)) };
  const app = Fastify({
    // HTTPS only when both PEM files are configured (sessions then get Secure cookies).
    ...(config.tls ? { https: { ...serverOptions, cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } } : { http: serverOptions }),
    loggerInstance: services.logger,
    // No log line per request: the batched request log records machine requests.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: nextRequestId,
    requestIdHeader: false,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError(nextRequestId, services.logger),
    // Fastify's default (0) turns Node's own limit off; a client that stops sending mid-request would then hold
    // its connection and buffered body for ever. By default Node's own: the whole request within 5 minutes.
    requestTimeout: requestTimeoutMs,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.server.on('connect', refuseConnect(nextRequestId));
  app.server.on('checkExpectation', refuseExpectation(nextRequestId));
  registerValidation(app as unknown as FastifyInstance, SHARED_SCHEMAS);
  documentImpliedErrors(app as unknown as FastifyInstance);
  documentResponseHeaders(app as unknown as FastifyInstance);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // JSON only: any other body (text/plain included, which Fastify parses by default) is 415.
  app.removeAllContentTypeParsers();
  // As bytes: decoding first would hide bytes that are not UTF-8 behind U+FFFD.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser(parseJson));
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  registerErrorHandling(app as unknown as FastifyInstance);
  registerRequestId(app as unknown as FastifyInstance);
  registerHostHeaderCheck(app as unknown as FastifyInstance);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Latchkey API',
        version: '1',
        description: 'API-key management and machine-to-machine authentication. See CONTRACT.md for error codes and order of checks.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // Where the API is: the configured public address, else wherever this document was read from.
      servers: [{ url: config.publicUrl?.replace(/\/+$/, '') || '/' }],
      tags: OPENAPI_TAGS,
      components: {
        securitySchemes: {
          rootToken: { type: 'http', scheme: 'bearer', description: 'operator root token (management API)' },
          session: { type: 'apiKey', in: 'cookie', name: 'latchkey_session', description: 'dashboard session; mutations also need X-CSRF-Token' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'an API key (M2M API)' },
          bearerKey: { type: 'http', scheme: 'bearer', description: 'an API key as Authorization: Bearer (M2M API)' },
        },
      },
      security: [{ rootToken: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    ...finishingDocument(optionalBodies()),
  });

  // Machine routes (the hot path) live apart from the management API: no cookie parsing, no
  // operator/session hook, and no child logger per request (their few log lines carry the request id).
  const machine = new MachineAuth({ verifier: services.verifier, environments: services.environments, usage: services.usage });
  await app.register(async (machineApp) => {
    machineApp.setChildLoggerFactory((logger) => logger);
    registerM2mRoutes(machineApp, machine);
    await registerGatewayRoutes(machineApp as unknown as FastifyInstance, config.routes, machine);
  });

  await app.register(async (management) => {
    registerNoStore(management as unknown as FastifyInstance);
    await management.register(fastifyCookie);
    registerManagementAuth(management as unknown as FastifyInstance, {
      rootTokens: services.rootTokens,
      tenants: services.tenants,
      sessions: services.sessions,
      secureCookies: config.tls !== undefined,
      clock: services.clock,
    });
    registerHealthRoutes(management, services.readiness);
    registerDeploymentRoute(management, config, services.plans, services.otpChannels ?? (() => ['email']));
    registerTenantRoutes(management, services.tenants);
    registerKeyRoutes(management, services.keys, services.clock);
    registerMemberRoutes(management, services.members);
    registerAuditRoutes(management, services.auditStore, services.clock);
    registerVerifyRoutes(management, services.verifier, services.environments, services.usage);
    for (const add of services.extraRoutes ?? []) await add(management);
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (services.dashboardDir && existsSync(services.dashboardDir)) {
    const { registerDashboard } = await import('./routes/dashboard-routes.js');
    await registerDashboard(app, services.dashboardDir);
  }
  return app;
}
