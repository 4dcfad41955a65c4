import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

// IVs come from a pool refilled from the CSPRNG in 48 KiB draws: a bulk sync seals hundreds of thousands of fields,
// and one system call per 12-byte IV was a measurable share of it. Every IV is still fresh random and used once.
const POOL_IVS = 4_096;
const ivPool = Buffer.alloc(POOL_IVS * IV_BYTES);
let ivsLeft = 0;

function nextIv(): Buffer {
  if (ivsLeft === 0) {
    randomFillSync(ivPool);
    ivsLeft = POOL_IVS;
  }
  ivsLeft -= 1;
  return Buffer.from(ivPool.subarray(ivsLeft * IV_BYTES, (ivsLeft + 1) * IV_BYTES));
}

/**
 * AES-256-GCM with a random 96-bit IV; output is iv ‖ tag ‖ ciphertext. `aad` binds a ciphertext to its context
 * (practice, key version, field) so a value copied into another row or practice fails to decrypt.
 */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer<ArrayBuffer> {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
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
