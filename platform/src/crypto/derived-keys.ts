import { createHmac, hkdfSync } from 'node:crypto';
import type { KeyRing } from './master-key.ts';

/**
 * Keys for purposes that need a stable keyed hash but no decryption, derived from the current master key (HKDF) so
 * nothing more has to be stored. Rotating the master key changes them, which only restarts what they count.
 */
export function deriveKey(ring: KeyRing, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ring.current.key, Buffer.alloc(0), `sourceline:${purpose}`, 32));
}

export function keyedHash(key: Buffer, value: string): Buffer<ArrayBuffer> {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}
