import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

// IVs come from a pool refilled from the CSPRNG in 48 KiB draws: a bulk sync seals hundreds of thousands of fields,
// and one system call per 12-byte IV was a measurable share of it. Every IV is still fresh random and used once.
const POOL_IVS = 4_096;
const ivPool = Buffer.alloc(POOL_IVS * IV_BYTES);
let ivsLeft = 0;

/** Copies the next unused IV of the pool into `into` at `at`. */
function takeIv(into: Buffer, at: number): void {
  if (ivsLeft === 0) {
    randomFillSync(ivPool);
    ivsLeft = POOL_IVS;
  }
  ivsLeft -= 1;
  ivPool.copy(into, at, ivsLeft * IV_BYTES, (ivsLeft + 1) * IV_BYTES);
}

/**
 * AES-256-GCM with a random 96-bit IV; output is `header` ‖ iv ‖ tag ‖ ciphertext, written into one buffer (a bulk
 * sync seals hundreds of thousands of fields, and the copies were a share of it). `aad` binds a ciphertext to its
 * context (practice, key version, field) so a value copied into another row or practice fails to decrypt.
 */
export function seal(key: Buffer, plaintext: Buffer | string, aad: Buffer, header?: Buffer): Buffer<ArrayBuffer> {
  const start = header?.length ?? 0;
  const out = Buffer.allocUnsafe(start + IV_BYTES + TAG_BYTES + Buffer.byteLength(plaintext, 'utf8'));
  header?.copy(out, 0);
  takeIv(out, start);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(start, start + IV_BYTES));
  cipher.setAAD(aad);
  // GCM is a stream mode: `update` returns every byte and `final` none.
  const body = typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
  cipher.final();
  body.copy(out, start + IV_BYTES + TAG_BYTES);
  cipher.getAuthTag().copy(out, start + IV_BYTES);
  return out;
}

export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('ciphertext is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError('ciphertext failed authentication (wrong key, wrong context or tampered)');
  }
}

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}
