// A tenant's request logs and a key's usage counts per interval (written by the batched usage writer).
import { Type } from 'typebox';
import { invalidRequest } from '../../core/errors.js';
import { toStored, toWire } from '../../core/time.js';
import type { Clock } from '../../manage/context.js';
import type { KeyService } from '../../manage/key-service.js';
import type { RequestLogRow, RequestLogStore } from '../../store/request-log-store.js';
import type { UsageStore } from '../../store/usage-store.js';
import { INTERVAL_MS, intervalRange, intervalStarts, MAX_INTERVALS } from '../../usage/usage-intervals.js';
import { ExportFile, ExportFormatQuery, sendListExport } from '../list-export.js';
import { errorResponses, KeyParams, pageOf, PageQuery, STRICT_QUERY, TenantParams } from '../schemas/common.js';
import { storedTimeRange, timeOf } from '../time-range.js';
import { RequestLog, Usage, UsageInterval } from '../schemas/usage-schemas.js';
import type { TypedApp } from '../typed-app.js';

export interface UsageRouteDeps {
  requestLogs: RequestLogStore;
  usage: UsageStore;
  /** `get(tenantId, keyId)` answers 404 for a key of another tenant. */
  keys: Pick<KeyService, 'get'>;
  clock: Clock;
}

const RequestLogFilters = {
  key_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'requests at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'requests at or before this time' })),
};
const RequestLogQuery = Type.Object({ ...PageQuery, ...RequestLogFilters }, STRICT_QUERY);
const RequestLogExportQuery = Type.Object({ ...RequestLogFilters, format: ExportFormatQuery }, STRICT_QUERY);

type PresentedRequestLog = ReturnType<typeof presentRequestLog>;
/** The export's columns: the list's fields, in its order. */
const REQUEST_LOG_COLUMNS = (['id', 'at', 'tenant_id', 'key_id', 'method', 'path', 'status', 'code', 'latency_ms', 'ip', 'environment'] as const)
  .map((field) => [field, (item: PresentedRequestLog) => item[field]] as const);

const UsageQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'default: 24 hours before `to`' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'default: now' })),
  interval: Type.Optional(UsageInterval),
}, STRICT_QUERY);

const DAY_MS = INTERVAL_MS.day;

export function registerUsageRoutes(app: TypedApp, deps: UsageRouteDeps): void {
  app.get('/v1/tenants/:tenantId/request-logs', {
    config: { access: { allow: 'reader' } },
    schema: {
      tags: ['usage'],
      operationId: 'listRequestLogs',
      summary: 'Machine requests made with the tenant\'s keys, newest first (kept for the retention period)',
      params: TenantParams,
      querystring: RequestLogQuery,
      response: { 200: pageOf(RequestLog), ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const { limit = 50, cursor, key_id: keyId, status, from, to } = request.query;
    const page = await deps.requestLogs.list(request.params.tenantId, { limit, cursor }, { keyId, status, ...storedTimeRange(from, to) });
    return { data: page.data.map(presentRequestLog), next_cursor: page.nextCursor };
  });

  app.get('/v1/tenants/:tenantId/request-logs/export', {
    config: { access: { allow: 'reader' } },
    schema: {
      tags: ['usage'],
      operationId: 'exportRequestLogs',
      summary: 'Every request log the filters match, newest first, as one CSV or NDJSON file',
      params: TenantParams,
      querystring: RequestLogExportQuery,
      response: { 200: ExportFile, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const { tenantId } = request.params;
    const { key_id: keyId, status, from, to, format = 'csv' } = request.query;
    const filter = { keyId, status, ...storedTimeRange(from, to) };
    return sendListExport(reply, {
      name: `request-logs-${tenantId}-${deps.clock.now().toISOString().slice(0, 10)}`,
      format,
      read: (cursor, limit) => deps.requestLogs.list(tenantId, { limit, cursor }, filter),
      present: presentRequestLog,
      columns: REQUEST_LOG_COLUMNS,
    });
  });

  app.get('/v1/tenants/:tenantId/keys/:keyId/usage', {
    config: { access: { allow: 'reader' } },
    schema: {
      tags: ['usage'],
      operationId: 'getKeyUsage',
      summary: 'Requests of a key per interval and code answered',
      params: KeyParams,
      querystring: UsageQuery,
      response: { 200: Usage, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const { interval = 'hour' } = request.query;
    const to = request.query.to === undefined ? deps.clock.now().getTime() : timeOf(request.query.to, 'to').getTime();
    const from = request.query.from === undefined ? to - DAY_MS : timeOf(request.query.from, 'from').getTime();
    if (from > to) throw invalidRequest([{ field: 'from', message: 'must not be after to' }]);
    const range = intervalRange(from, to, interval);
    if (range.count > MAX_INTERVALS) {
      throw invalidRequest([{
        field: 'interval',
        message: `the range holds ${range.count} intervals of one ${interval}, at most ${MAX_INTERVALS} are allowed; choose a longer interval or a shorter range`,
      }]);
    }
    const key = await deps.keys.get(request.params.tenantId, request.params.keyId);
    const rows = await deps.usage.countsByInterval(key.id, toStored(new Date(range.start)), toStored(new Date(to)), interval);
    const counts = new Map<string, Record<string, number>>();
    for (const row of rows) {
      const bucket = counts.get(row.start) ?? {};
      bucket[row.outcome] = (bucket[row.outcome] ?? 0) + row.count;
      counts.set(row.start, bucket);
    }
    return {
      key_id: key.id,
      from: wireTime(range.start),
      to: wireTime(to),
      interval,
      data: intervalStarts(range, interval).map((start) => ({ start: wireTime(start), counts: counts.get(toStored(new Date(start))) ?? {} })),
    };
  });
}

function presentRequestLog(row: RequestLogRow) {
  return {
    id: row.id,
    at: toWire(row.at),
    tenant_id: row.tenant_id,
    key_id: row.key_id,
    method: row.method,
    path: row.path,
    status: row.status,
    code: row.code,
    latency_ms: row.latency_ms,
    ip: row.ip,
    environment: row.environment,
  };
}

function wireTime(ms: number): string {
  return toWire(toStored(new Date(ms)));
}
