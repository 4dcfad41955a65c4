import { hmacDigest, verifyHmacSignature } from '@sourceline/sdk';

/**
 * CallRail signs each webhook with the company's signing key: header `Signature` = Base64(HMAC-SHA1(raw body)) (§2.2).
 * Not SHA-256, not hex: third-party code that does either is wrong for CallRail. The payload's `timestamp` is the
 * call's start, and post-call events arrive up to 20 minutes late, so there is no freshness window: replays are
 * harmless because records are upserted by id.
 */
export function verifyCallRailSignature(headers: Readonly<Record<string, string>>, body: string | Uint8Array, signingKey: string): boolean {
  return verifyHmacSignature({ given: headers.signature, body, key: signingKey, algorithm: 'sha1', encoding: 'base64' });
}

/** What CallRail puts in the `Signature` header (the fake and tests sign with it). */
export function signCallRailBody(body: string, signingKey: string): string {
  return hmacDigest('sha1', signingKey, body, 'base64');
}
