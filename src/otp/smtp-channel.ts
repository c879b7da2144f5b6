// Mails codes over SMTP (LATCHKEY_SMTP_URL): a plain-text part and a simple HTML part.
import type { Mailer } from '../notify/mailer.js';
import { DeliveryError, type OtpChannel, type OtpMessage, otpSentence } from './otp-channel.js';

export class SmtpOtpChannel implements OtpChannel {
  constructor(private readonly mailer: Mailer) {}

  async deliver(message: OtpMessage): Promise<void> {
    const subject = message.purpose === 'sign_in' ? 'Your Latchkey sign-in code' : 'Your Latchkey verification code';
    try {
      await this.mailer.send({
        to: message.to,
        subject,
        text: `${otpSentence(message)}\n\nIf you did not ask for it, ignore this mail: nothing happens without the code.\n`,
        html: mailHtml(message),
      });
    } catch (error) {
      // nodemailer's errors name the server's reply, never the message body.
      throw new DeliveryError(`sending mail failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function mailHtml(message: OtpMessage): string {
  const what = message.purpose === 'sign_in' ? 'sign-in' : 'verification';
  return [
    '<!doctype html><html><body style="font-family: system-ui, sans-serif; color: #1a1a1a">',
    `<p>Your Latchkey ${what} code:</p>`,
    `<p style="font-size: 28px; font-weight: bold; letter-spacing: 4px">${message.code}</p>`,
    `<p>It is valid for ${message.validMinutes} minutes and can be used once.</p>`,
    '<p><strong>Nobody from Latchkey will ever ask you for this code.</strong> If you did not ask for it, ignore this mail.</p>',
    '</body></html>',
  ].join('\n');
}
