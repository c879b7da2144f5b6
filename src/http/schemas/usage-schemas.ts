// Request logs and usage counts on the wire.
import { Type } from 'typebox';
import { USAGE_INTERVALS } from '../../store/usage-store.js';
import { MAX_INTERVALS } from '../../usage/usage-intervals.js';
import { Literals, NullableString, Timestamp } from './common.js';

export const RequestLog = Type.Object({
  id: Type.String({ description: 'the request id (X-Request-Id of the answer)' }),
  at: Timestamp,
  tenant_id: Type.String(),
  key_id: NullableString,
  method: Type.String(),
  path: Type.String({ description: 'without the query string' }),
  status: Type.Integer(),
  code: Type.String({ description: '`valid` or the error code answered' }),
  latency_ms: Type.Number(),
  ip: NullableString,
  environment: Type.String(),
});

export const UsageInterval = Literals(USAGE_INTERVALS);

export const Usage = Type.Object({
  key_id: Type.String(),
  from: Type.String({ format: 'date-time', description: 'start of the first interval (the one holding the requested `from`)' }),
  to: Timestamp,
  interval: UsageInterval,
  data: Type.Array(
    Type.Object({
      start: Timestamp,
      counts: Type.Record(Type.String(), Type.Integer(), { description: 'requests per code answered (`valid`, `rate_limited`, ...); `{}` when none' }),
    }),
    { description: `every interval of the range, oldest first; at most ${MAX_INTERVALS}` },
  ),
});
