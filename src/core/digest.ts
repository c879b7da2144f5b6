// Digests of secrets: what storage keeps instead of a key, token or session id.
import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/** Hex SHA-256 of a secret. Keys are long random strings, so a fast hash is enough. */
export function sha256Hex(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** Hex HMAC-SHA256 of a short secret (an OTP code) under a server key. */
export function hmacHex(key: string | Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
