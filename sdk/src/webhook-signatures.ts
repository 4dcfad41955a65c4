import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookRequest } from './context.ts';

/**
 * Compares a secret someone sent with the one we hold without leaking, through timing, how much of it matched or how
 * long it is: both sides are hashed first, so `timingSafeEqual` always compares 32 bytes.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The bytes a signature covers: the raw body, or `body` encoded as UTF-8 when the request carries no raw bytes. */
export function webhookBodyBytes(request: Pick<WebhookRequest, 'body' | 'rawBody'>): Uint8Array {
  return request.rawBody ?? Buffer.from(request.body, 'utf8');
}

export type HmacAlgorithm = 'sha1' | 'sha256';
export type DigestEncoding = 'hex' | 'base64';

/**
 * HMAC of the raw request bytes, as webhook senders sign them (CallRail: SHA-1/base64; Meta: SHA-256/hex). Pass the
 * request's bytes (`webhookBodyBytes(request)`); a string is taken as UTF-8, which differs from the bytes received
 * when they were not UTF-8.
 */
export function hmacDigest(algorithm: HmacAlgorithm, key: string, body: string | Uint8Array, encoding: DigestEncoding): string {
  const hmac = createHmac(algorithm, key);
  return (typeof body === 'string' ? hmac.update(body, 'utf8') : hmac.update(body)).digest(encoding);
}

/**
 * Checks a signature header against the HMAC of the raw body: `prefix` is the sender's scheme marker (Meta's
 * `sha256=`). A missing header or an empty key never verifies.
 */
export function verifyHmacSignature(options: {
  given: string | undefined;
  body: string | Uint8Array;
  key: string;
  algorithm: HmacAlgorithm;
  encoding: DigestEncoding;
  prefix?: string;
}): boolean {
  if (!options.given || !options.key) return false;
  const expected = `${options.prefix ?? ''}${hmacDigest(options.algorithm, options.key, options.body, options.encoding)}`;
  return constantTimeEqual(options.given.trim(), expected);
}
