import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret someone sent with the one we hold without leaking, through timing, how much of it matched or how
 * long it is: both sides are hashed first, so `timingSafeEqual` always compares 32 bytes.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export type HmacAlgorithm = 'sha1' | 'sha256';
export type DigestEncoding = 'hex' | 'base64';

/** HMAC of the raw request bytes, as webhook senders sign them (CallRail: SHA-1/base64; Meta: SHA-256/hex). */
export function hmacDigest(algorithm: HmacAlgorithm, key: string, body: string, encoding: DigestEncoding): string {
  return createHmac(algorithm, key).update(body, 'utf8').digest(encoding);
}

/**
 * Checks a signature header against the HMAC of the raw body: `prefix` is the sender's scheme marker (Meta's
 * `sha256=`). A missing header or an empty key never verifies.
 */
export function verifyHmacSignature(options: {
  given: string | undefined;
  body: string;
  key: string;
  algorithm: HmacAlgorithm;
  encoding: DigestEncoding;
  prefix?: string;
}): boolean {
  if (!options.given || !options.key) return false;
  const expected = `${options.prefix ?? ''}${hmacDigest(options.algorithm, options.key, options.body, options.encoding)}`;
  return constantTimeEqual(options.given.trim(), expected);
}
