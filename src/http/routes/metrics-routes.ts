// GET /metrics: the Prometheus text exposition, for operators only.
import { Type } from 'typebox';
import type { LatchkeyMetrics } from '../../metrics/metrics.js';
import { errorResponses } from '../schemas/common.js';
import type { TypedApp } from '../typed-app.js';

export function registerMetricsRoutes(app: TypedApp, metrics: LatchkeyMetrics): void {
  app.get('/metrics', {
    config: { access: { allow: 'operator' } },
    schema: {
      tags: ['metrics'],
      operationId: 'getMetrics',
      summary: 'Prometheus metrics (text exposition format), names prefixed latchkey_; operator token',
      response: {
        200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: Type.String() } } },
        ...errorResponses(401, 403),
      },
    },
  }, async (_request, reply) => {
    const text = await metrics.text();
    return reply.type(metrics.contentType).send(text);
  });
}
