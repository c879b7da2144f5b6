// The development channel: prints codes in the server log, since no mail or WhatsApp service is configured.
import type { OtpChannel, OtpMessage } from './otp-channel.js';

export interface WarningLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Used only while neither LATCHKEY_SMTP_URL nor a webhook is set; a real channel keeps codes out of the log. */
export class LogOtpChannel implements OtpChannel {
  constructor(private readonly logger: WarningLogger, private readonly channel: string) {}

  deliver(message: OtpMessage): Promise<void> {
    this.logger.warn(
      { otp_to: message.to, otp_channel: this.channel, otp_purpose: message.purpose, expires_at: message.expiresAt.toISOString() },
      `development only: configure LATCHKEY_SMTP_URL to mail codes instead of logging them. Code for ${message.to}: ${message.code} (valid ${message.validMinutes} minutes)`,
    );
    return Promise.resolve();
  }
}
