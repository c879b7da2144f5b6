// Dashboard sign-in on the wire: what the sign-in page may know, codes sent, and the signed-in user.
import { Type } from 'typebox';
import { CHANNEL_NAMES } from '../../otp/otp-channel.js';
import { Literals, NullableTimestamp } from './common.js';
import { Role } from './tenant-schemas.js';

/** Where one-time codes can go (WhatsApp only where it is configured). */
export const OtpChannel = Literals(CHANNEL_NAMES);

export const SignInOptions = Type.Object({
  code_in_server_log: Type.Boolean({ description: 'no mail server: e-mailed codes are printed in the server log' }),
  first_run_operator: Type.Union([Type.String(), Type.Null()], { description: '`admin@localhost` on a first run (no LATCHKEY_ADMIN_EMAILS, no mail server), else null' }),
});

export const CodeSent = Type.Object({
  status: Type.Literal('sent'),
  retry_after_seconds: Type.Integer({ description: 'seconds before another code may be requested' }),
  code_in_server_log: Type.Boolean({ description: 'no mail server is configured: codes are printed in the server log (a fact of the deployment, the same for every address)' }),
});

export const Me = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) }),
  operator: Type.Boolean(),
  memberships: Type.Array(Type.Object({
    tenant_id: Type.String(),
    tenant_name: Type.String(),
    role: Role,
    joined: Type.Boolean({ description: "the person has used this tenant; until then its audit log gets none of the person's sign-ins, and the dashboard does not open it by itself" }),
  })),
  csrf_token: Type.String({ description: 'send as X-CSRF-Token on every POST, PATCH, PUT and DELETE' }),
  step_up_until: NullableTimestamp,
});
