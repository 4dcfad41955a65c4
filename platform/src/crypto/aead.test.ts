import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, open, seal } from './aead.ts';
import { createKeyRing, masterKeyFrom } from './master-key.ts';

const key = randomBytes(32);

describe('AES-256-GCM sealing', () => {
  it('round-trips and never produces the same ciphertext twice', () => {
    const a = seal(key, Buffer.from('Jane Doe'), Buffer.from('ctx'));
    const b = seal(key, Buffer.from('Jane Doe'), Buffer.from('ctx'));
    expect(a.equals(b)).toBe(false);
    expect(open(key, a, Buffer.from('ctx')).toString()).toBe('Jane Doe');
    expect(a.includes(Buffer.from('Jane'))).toBe(false);
  });

  it('refuses a ciphertext moved to another context, tampered with, or opened with another key', () => {
    const sealed = seal(key, Buffer.from('555-0100'), Buffer.from('practice-a:phone:1'));
    expect(() => open(key, sealed, Buffer.from('practice-b:phone:1'))).toThrow(DecryptionError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => open(key, tampered, Buffer.from('practice-a:phone:1'))).toThrow(DecryptionError);
    expect(() => open(randomBytes(32), sealed, Buffer.from('practice-a:phone:1'))).toThrow(DecryptionError);
  });
});

describe('the master key ring', () => {
  it('unwraps with retired keys and wraps only with the current one', () => {
    const old = masterKeyFrom(randomBytes(32).toString('base64'));
    const next = masterKeyFrom(randomBytes(32).toString('base64'));
    const wrappedByOld = createKeyRing(old).wrap(Buffer.from('data key'), 'ctx');
    const ring = createKeyRing(next, [old]);
    expect(ring.unwrap(wrappedByOld.wrapped, wrappedByOld.masterKeyId, 'ctx').toString()).toBe('data key');
    expect(ring.wrap(Buffer.from('x'), 'ctx').masterKeyId).toBe(next.id);
    const secret = ring.sealSecret(Buffer.from('totp seed'), 'mfa:1');
    expect(ring.secretKeyId(secret)).toBe(next.id);
    expect(ring.openSecret(secret, 'mfa:1').toString()).toBe('totp seed');
    expect(() => createKeyRing(next).unwrap(wrappedByOld.wrapped, wrappedByOld.masterKeyId, 'ctx')).toThrow(/not configured/);
  });

  it('rejects a master key that is not 32 bytes', () => {
    expect(() => masterKeyFrom(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
