// Opaque ids with a type prefix (`key_8fK2...`).
import { randomBase62 } from './base62.js';

export type IdPrefix = 'ten' | 'key' | 'usr' | 'req' | 'aud' | 'rtk' | 'ses' | 'otp' | 'log' | 'chg' | 'bat';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(20)}`;
}
