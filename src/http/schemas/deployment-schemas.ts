// What the dashboard learns of the deployment it runs against.
import { Type } from 'typebox';
import { REQUEST_LOG_MODES } from '../../core/request-log-mode.js';
import { OtpChannel } from './auth-schemas.js';
import { Literals } from './common.js';
import { Environment } from './key-schemas.js';

export const Plan = Type.Object({
  name: Type.String(),
  m2m_api: Type.Boolean(),
  default_rpm: Type.Integer(),
  max_rpm: Type.Integer(),
  max_live_keys: Type.Integer(),
  never_expiring_keys: Type.Boolean(),
  max_key_lifetime_days: Type.Union([Type.Integer(), Type.Null()], { description: 'how far ahead expires_at may be set, in days; null: no bound' }),
});

export const Deployment = Type.Object({
  environment: Environment,
  scopes: Type.Array(Type.String()),
  plans: Type.Array(Plan),
  public_url: Type.String(),
  otp_channels: Type.Array(OtpChannel),
  request_log: Literals(REQUEST_LOG_MODES, { description: 'LATCHKEY_REQUEST_LOG: which machine requests the request log holds' }),
});
