// Builds dashboard sign-in (codes, channels, sessions) from the config; the composition root calls it once.
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { OtpThrottle } from '../limits/otp-throttle.js';
import type { AuditLog } from '../manage/audit-log.js';
import type { Clock } from '../manage/context.js';
import { SessionService } from '../sessions/session-service.js';
import type { MemberStore } from '../store/member-store.js';
import { OtpStore } from '../store/otp-store.js';
import type { Database } from '../store/schema.js';
import { SessionStore } from '../store/session-store.js';
import { buildChannels } from './channel-registry.js';
import type { WarningLogger } from './log-channel.js';
import { OtpChallenges } from './otp-challenges.js';
import { LogOtpChannel } from './log-channel.js';
import type { ChannelName } from './otp-channel.js';
import { FIRST_RUN_OPERATOR, isFirstRun, operatorEmails } from './operators.js';
import { ServerKey } from './server-key.js';
import { SignInService } from './sign-in-service.js';

export interface SignIn {
  /** The `SessionAuthenticator` of `AppServices.sessions`. */
  sessions: SessionService;
  service: SignInService;
  /** The channels the dashboard may offer for step-up (`/v1/deployment`'s `otp_channels`). */
  otpChannels(): ChannelName[];
  /** The server speaks HTTPS itself, so every session cookie is `Secure`. */
  alwaysSecureCookies: boolean;
  /** Whether codes sent by `channel` go to the server log (development only: no mail server or webhook). */
  codesInServerLog(channel: ChannelName): boolean;
  /** `admin@localhost` on a first run (no operator list, no mail server), for the sign-in page's hint. */
  firstRunOperator: string | undefined;
  /** Waits for sign-in codes still being sent; before the database closes. */
  close(): Promise<void>;
}

/**
 * @example
 * const signIn = buildSignIn(config, database.db, memberStore, audit, clock, logger, otpThrottle);
 * // AppServices: sessions: signIn.sessions, otpChannels: signIn.otpChannels,
 * //              extraRoutes: [(app) => registerAuthRoutes(app, signIn)]
 */
export function buildSignIn(
  config: Config,
  db: Kysely<Database>,
  members: MemberStore,
  audit: AuditLog,
  clock: Clock,
  logger: WarningLogger,
  throttle: OtpThrottle,
): SignIn {
  const otpStore = new OtpStore(db);
  const serverKey = new ServerKey(otpStore, clock);
  const operators = operatorEmails(config);
  const sessions = new SessionService(new SessionStore(db), members, serverKey, (email) => operators.has(email), audit, clock);
  const channels = buildChannels(config, logger);
  const challenges = new OtpChallenges(otpStore, throttle, serverKey, clock, logger);
  const service = new SignInService({ challenges, channels, members, sessions, audit, operators, clock, logger });
  return { sessions, service, otpChannels: () => service.channelNames(), alwaysSecureCookies: config.tls !== undefined,
    codesInServerLog: (channel) => channels.get(channel) instanceof LogOtpChannel,
    firstRunOperator: isFirstRun(config) ? FIRST_RUN_OPERATOR : undefined,
    close: () => service.close(),
  };
}
