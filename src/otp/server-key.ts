// The server's HMAC key for codes, cooldown scopes and CSRF tokens: read once from the database, shared by every node.
import { hmacHex } from '../core/digest.js';
import { toStored } from '../core/time.js';
import type { Clock } from '../manage/context.js';
import type { OtpStore } from '../store/otp-store.js';

export class ServerKey {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly store: OtpStore, private readonly clock: Clock) {}

  /** Hex HMAC-SHA256 of `label` under the server key. */
  async digest(label: string): Promise<string> {
    return hmacHex(await this.load(), label);
  }

  private load(): Promise<Buffer> {
    this.key ??= this.store.serverKey(toStored(this.clock.now())).catch((error: unknown) => {
      // A database hiccup must not stick: the next request tries again.
      this.key = undefined;
      throw error;
    });
    return this.key;
  }
}
