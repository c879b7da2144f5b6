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

/**
 * Constant-time comparison of two digests (or any two strings of the same length).
 * Compares the strings' own bytes: decoding them as hex would stop at the first
 * non-hex character and drop an odd last digit, so `'zz'` would equal `'yy'`.
 */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
