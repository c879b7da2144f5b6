// Hands WhatsApp codes to a webhook (LATCHKEY_WHATSAPP_WEBHOOK_URL) as HMAC-signed JSON.
import { hmacHex } from '../core/digest.js';
import { DeliveryError, type OtpChannel, type OtpMessage, otpSentence } from './otp-channel.js';

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Attempts in all, the first included; only 5xx answers and network errors are retried. */
  attempts?: number;
  /** Wait before the second attempt; doubled before each further one. */
  backoffMs?: number;
  timeoutMs?: number;
}

/**
 * Body: `{"to","code","purpose","expires_at","message"}`. Header `X-Latchkey-Signature: sha256=<hex>`,
 * the HMAC-SHA256 of the exact body bytes under the shared secret, so the receiver can check who sent it.
 */
export class WhatsAppWebhookChannel implements OtpChannel {
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookOptions) {
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async deliver(message: OtpMessage): Promise<void> {
    const body = JSON.stringify({
      to: message.to,
      code: message.code,
      purpose: message.purpose,
      expires_at: message.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      message: otpSentence(message),
    });
    const signature = `sha256=${hmacHex(this.options.secret, body)}`;
    let failure = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await sleep(this.backoffMs * 2 ** (attempt - 2));
      try {
        const response = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-latchkey-signature': signature },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await response.body?.cancel();
        if (response.ok) return;
        failure = `the webhook answered ${response.status}`;
        if (response.status < 500) break;
      } catch (error) {
        failure = `the webhook could not be reached (${error instanceof Error ? error.message : String(error)})`;
      }
    }
    throw new DeliveryError(`WhatsApp delivery failed: ${failure}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
