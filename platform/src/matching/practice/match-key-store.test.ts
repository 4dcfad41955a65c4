import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PracticeCipher } from '../../crypto/practice-keys.ts';
import { matchKeyBlinder } from './match-key-store.ts';

/** A cipher whose blind index is a real HMAC under its own key, counting the HMACs it computes. */
function countingCipher(practiceId: string, key: string): PracticeCipher & { computed: number } {
  const cipher = {
    practiceId,
    computed: 0,
    encrypt: () => Buffer.alloc(0),
    decrypt: () => '',
    contentDigest: () => Buffer.alloc(0),
    blindIndex(kind: string, normalised: string) {
      cipher.computed += 1;
      return createHmac('sha256', key).update(`${kind}\u0000${normalised}`).digest();
    },
  };
  return cipher;
}

describe('match key blinding', () => {
  it('gives the cipher’s HMAC, computing each key’s once per cipher however many passes blind it', () => {
    const cipher = countingCipher('p1', 'k1');
    const expected = createHmac('sha256', 'k1').update('match-key\u0000phone:+16145550101').digest('base64');
    expect(matchKeyBlinder(cipher)('phone:+16145550101')).toBe(expected);
    expect(matchKeyBlinder(cipher)('phone:+16145550101')).toBe(expected);
    matchKeyBlinder(cipher)('name:quill');
    expect(cipher.computed).toBe(2);
  });

  it('never answers for one cipher what another computed: another practice, or the same after a key rotation', () => {
    const [before, after] = [countingCipher('p1', 'k1'), countingCipher('p1', 'k2')];
    const key = 'email:harriet@example.test';
    expect(matchKeyBlinder(after)(key)).not.toBe(matchKeyBlinder(before)(key));
    expect([before.computed, after.computed]).toEqual([1, 1]);
  });
});
