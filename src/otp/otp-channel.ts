// The delivery port of one-time codes: every channel (log, SMTP, WhatsApp webhook) implements it.

export type OtpPurpose = 'sign_in' | 'step_up';
export const CHANNEL_NAMES = ['email', 'whatsapp'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface OtpMessage {
  /** An e-mail address (email) or an E.164 phone number (whatsapp). */
  to: string;
  code: string;
  purpose: OtpPurpose;
  expiresAt: Date;
  validMinutes: number;
}

export interface OtpChannel {
  /** Resolves once the message is handed over; rejects with `DeliveryError` when it could not be. */
  deliver(message: OtpMessage): Promise<void>;
}

/** The code could not be handed to the channel; the message says why, without the code. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/** The sentence every channel sends, whatever its format. */
export function otpSentence(message: OtpMessage): string {
  const what = message.purpose === 'sign_in' ? 'sign-in' : 'verification';
  return `Your Latchkey ${what} code is ${message.code}. It is valid for ${message.validMinutes} minutes and can be used once. `
    + 'Nobody from Latchkey will ever ask you for this code.';
}
